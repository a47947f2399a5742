/** Locale-aware formatting of money and times for the screens. */

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(locale: string, cur: string): Intl.NumberFormat | null {
  const key = `${locale}|${cur}`;
  let f = moneyFormats.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(locale, { style: 'currency', currency: cur });
    } catch {
      return null;
    }
    moneyFormats.set(key, f);
  }
  return f;
}

/** Formats an integer amount in minor units (cents, fen) in the currency's format for the locale. */
export function formatMoney(minor: number, cur: string | null, locale: string): string {
  const f = cur ? moneyFormat(locale, cur) : null;
  if (!f) return cur ? `${minor} ${cur}` : String(minor);
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(minor / 10 ** digits);
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** A moment as the cashier reads it: the time of day for today, date and time otherwise. */
export function formatWhen(ms: number, locale: string, now: number = Date.now()): string {
  const d = new Date(ms);
  const opts: Intl.DateTimeFormatOptions = sameDay(d, new Date(now))
    ? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
    : { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat(locale, opts).format(d);
}

/** A full date and time (key added, lock end). */
export function formatDateTime(ms: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}
