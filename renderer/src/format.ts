/** Locale-aware formatting of money and times for the screens. */

/** Money is formatted exactly from integer minor units: see money.ts. */
export { formatMoney } from './money';

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
