/**
 * Normalised contact details, for duplicate detection and lookup. Pure.
 * Phones: digits only, a leading + kept as the country code; mainland China
 * numbers written with +86 / 0086 / 86 are reduced to their 11 digits, so
 * "+86 138-1234-5678" and "13812345678" are the same person.
 */
export function normPhone(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const t = raw.trim();
  if (t === '') return null;
  let d = t.replace(/[\s\-().·]/g, '');
  if (d.startsWith('+')) d = d.slice(1);
  else if (d.startsWith('00')) d = d.slice(2);
  if (!/^\d+$/.test(d)) return null;
  if (d.length === 13 && d.startsWith('86') && d[2] === '1') d = d.slice(2);
  if (d.length < 5 || d.length > 15) return null;
  return d;
}

/** True when the text is meant as a phone number but is not one. */
export function badPhone(raw: string | null | undefined): boolean {
  return raw != null && raw.trim() !== '' && normPhone(raw) === null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normEmail(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const t = raw.trim().toLowerCase();
  if (t === '' || !EMAIL.test(t) || t.length > 254) return null;
  return t;
}

export function badEmail(raw: string | null | undefined): boolean {
  return raw != null && raw.trim() !== '' && normEmail(raw) === null;
}

/** The key names are sorted by: case-folded, NFKC, inner spaces collapsed. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Tags: trimmed, case kept, no empties, no duplicates, at most 32 chars each. */
export function cleanTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tags) {
    const v = t.trim().slice(0, 32);
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

/** A birthday as YYYY-MM-DD or --MM-DD (year unknown), else null. */
export function normBirthday(raw: string | null | undefined): string | null {
  if (raw == null || raw.trim() === '') return null;
  const t = raw.trim().replace(/\//g, '-');
  const m = /^(\d{4}|-)-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (!m) return null;
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  return `${m[1] === '-' ? '-' : m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
