/**
 * The merchant's day: a calendar day (YYYY-MM-DD) in an IANA time zone as the
 * instants it spans, [from, to) in ms. Intl knows every zone's offsets (with
 * summer time), so no zone data is kept here.
 */
import { isTimeZoneName as isTimeZone } from '../../../preload/contract';
import type { Settings } from '../settings';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}


/** The zone the OS is set to (what a new workstation uses until the owner sets one). */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The workstation's time zone: the `timeZone` setting, else the OS's. */
export function merchantTimeZone(settings: Settings): string {
  const set = settings.get('timeZone');
  return set && isTimeZone(set) ? set : systemTimeZone();
}

function parts(ms: number, timeZone: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** The zone's offset from UTC at an instant, in ms (+8 h for Asia/Shanghai). */
export function offsetAt(ms: number, timeZone: string): number {
  const p = parts(ms, timeZone);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The calendar day (YYYY-MM-DD) an instant falls on in the zone. */
export function dayOf(ms: number, timeZone: string): string {
  const p = parts(ms, timeZone);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The instant a local midnight falls on (the zone's offset there, summer time included). */
function midnight(day: string, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  let at = wall - offsetAt(wall, timeZone);
  // Once more with the offset at the guess: right across a change of offset.
  at = wall - offsetAt(at, timeZone);
  return at;
}

/** The day's window in the zone: from its midnight to the next day's, [from, to) in ms. */
export function dayWindow(day: string, timeZone: string): { from: number; to: number } {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return { from: midnight(day, timeZone), to: midnight(next, timeZone) };
}
