/**
 * Ids never reach a counter screen as they are: a person the workstation does
 * not know by name is shown by a short masked form of their id, and a ULID
 * inside a voucher number is cut to its last characters. Shared by the core
 * (which labels people in its answers) and the screens (voucher numbers).
 */

/** A ULID: 26 characters of Crockford's base 32 (what the core's ids are). */
export const ULID_PATTERN = /[0-9A-HJKMNP-TV-Z]{26}/;
const ULID_ALL = new RegExp(ULID_PATTERN.source, 'g');

/** How many characters of an id stay visible at its end. */
const TAIL = 4;

/**
 * A short masked form of an id: "·K3F9" (the last four characters) for a ULID or
 * any long id, "C-…24" for a short one, and an id of four characters or fewer as it is.
 */
export function maskId(id: string): string {
  const s = id.trim();
  if (s.length <= TAIL) return s;
  if (ULID_PATTERN.test(s) || s.length > 10) return `·${s.slice(-TAIL).toUpperCase()}`;
  return `${s.slice(0, 2)}…${s.slice(-2)}`;
}

/** Text with every ULID in it cut to "…" and its last four characters ("wl-01J…" → "wl-…K3F9"). */
export function maskIds(text: string): string {
  return text.replace(ULID_ALL, (u) => `…${u.slice(-TAIL)}`);
}
