/**
 * A device's own events, for rebuilding a replaced workstation's ledger
 * (docs/spec/sync-protocol.md "GET /v1/own-events", added in round 4, issue 13):
 * the changes feed skips a device's own events, so they come back here, in
 * the order they were stored, as they were uploaded.
 */
import type { ServerDb } from './db';
import type { DeviceRef } from './devices';

export const MAX_OWN_EVENTS_PER_PAGE = 5000;
export const DEFAULT_OWN_EVENTS_PER_PAGE = 500;

export interface OwnEventsPage {
  cursor: string;
  more: boolean;
  /** Each event as it was uploaded, with the server's answer to it (stored, conflict or rejected). */
  events: { status: string; event: unknown }[];
}

export function formatOwnCursor(seq: number): string {
  return `o-${String(seq).padStart(12, '0')}`;
}

export function parseOwnCursor(cursor: string): number | null {
  const m = /^o-(\d{1,15})$/.exec(cursor);
  return m ? Number(m[1]) : null;
}

/** Every event this device uploaded, whatever the answer was (its ledger held them all), after `since`. */
export async function ownEventsFor(sdb: ServerDb, device: DeviceRef, since: number, limit: number): Promise<OwnEventsPage> {
  const rows = await sdb.db
    .selectFrom('events')
    .select(['seq', 'body', 'status'])
    .where('mid', '=', device.mid)
    .where('device', '=', device.id)
    .where('seq', '>', since)
    .orderBy('seq')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page.length > 0 ? Number(page[page.length - 1]!.seq) : since;
  return { cursor: formatOwnCursor(last), more, events: page.map((r) => ({ status: r.status, event: JSON.parse(r.body) as unknown })) };
}
