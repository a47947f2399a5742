/**
 * A calendar day (YYYY-MM-DD) in an IANA time zone as the instants it spans,
 * [from, to) in ms, and the day an instant falls on. Intl knows every zone's
 * offsets (with summer time), so no zone data is kept here. Shared by the core
 * (close of day, reports) and the page (the report screen's date fields).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
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

/** An instant as the wall-clock time in the zone: 2026-11-21 09:30:00. */
export function wallTime(ms: number, timeZone: string): string {
  const p = parts(ms, timeZone);
  const two = (n: number | undefined) => String(n).padStart(2, '0');
  return `${dayOf(ms, timeZone)} ${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}
