/**
 * Campaign dates and hours as the admin types them. A campaign runs from the
 * start of its first day to the end of its last day, local time: the core
 * keeps `from` (inclusive) and `to` (exclusive) in ms, so the last day shown
 * is the day before `to` when `to` falls on a midnight.
 */

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** "2025-05-31" for a moment, local time (the value of an <input type="date">). */
export function toDateInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function parseDateInput(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getMonth() === Number(m[2]) - 1 ? d : null;
}

/** Local midnight starting that day, in ms; null for an empty or invalid value. */
export function startOfDay(value: string): number | null {
  return parseDateInput(value)?.getTime() ?? null;
}

/** Local midnight ending that day (the next day's start), in ms. */
export function endOfDay(value: string): number | null {
  const d = parseDateInput(value);
  if (!d) return null;
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
}

export function isLocalMidnight(ms: number): boolean {
  const d = new Date(ms);
  return d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0 && d.getMilliseconds() === 0;
}

/** The last day a campaign ending at `to` (exclusive) runs, for the date field. */
export function lastDayInput(to: number): string {
  return toDateInput(isLocalMidnight(to) ? to - 1 : to);
}

/** A date (and the time when it is not midnight) for the table. */
export function formatDay(ms: number, locale: string): string {
  const opts: Intl.DateTimeFormatOptions = isLocalMidnight(ms) ? { dateStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' };
  return new Intl.DateTimeFormat(locale, opts).format(new Date(ms));
}

/** Opening hours like "10:00-14:00,17:00-22:00" (the core's rule); spaces allowed. */
export const HOURS_PATTERN = /^\s*\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}\s*(,\s*\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}\s*)*$/;

/** Checks the hours and each time (00:00–24:00); returns them without spaces, or null when wrong. */
export function normaliseHours(input: string): string | null {
  const s = input.normalize('NFKC').replace(/[–—~～至到]/g, '-').replace(/[，、;；]/g, ',');
  if (!HOURS_PATTERN.test(s)) return null;
  const out = s.replace(/\s+/g, '');
  for (const time of out.split(/[-,]/)) {
    const [h, m] = time.split(':').map(Number) as [number, number];
    if (h > 24 || m > 59 || (h === 24 && m > 0)) return null;
  }
  return out;
}
