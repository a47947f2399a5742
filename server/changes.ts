/** The changes feed (docs/spec/sync-protocol.md "GET /v1/changes"): what each device has not seen yet. */
import type { Change, ChangesPage } from '../common/protocol/sync';
import type { ServerDb, Tx } from './db';
import type { DeviceRef } from './devices';
import { nowIso } from './events';

export type { ChangesPage } from '../common/protocol/sync';
export const MAX_CHANGES_PER_PAGE = 5000;
export const DEFAULT_CHANGES_PER_PAGE = 500;

export function formatCursor(seq: number): string {
  return `c-${String(seq).padStart(12, '0')}`;
}

/** The sequence number of a cursor, or null when it is not one of ours. */
export function parseCursor(cursor: string): number | null {
  const m = /^c-(\d{1,15})$/.exec(cursor);
  return m ? Number(m[1]) : null;
}

/** The changes a device has not seen after `since` (a sequence number). */
export async function changesFor(sdb: ServerDb, device: DeviceRef, since: number, limit: number): Promise<ChangesPage> {
  // The newest change this device may see first, then the page up to it.
  // Gap-free (issue 14): a merchant's changes are numbered while its lock row
  // is held (server/tx.ts) and the lock is held until commit, so they commit
  // in the order of their numbers; platform-wide changes (mid null) lock every
  // merchant. So when change N of this merchant (or of all) is visible, every
  // smaller one of it is committed and visible too: nothing below `newest` can
  // appear later. Other merchants' numbers interleave freely and are never
  // looked at (their max would not be safe: another merchant may commit a
  // larger number before this one commits a smaller one).
  const top = await sdb.db
    .selectFrom('changes')
    .select((eb) => eb.fn.max('seq').as('m'))
    .where((eb) => eb.or([eb('mid', '=', device.mid), eb('mid', 'is', null)]))
    .executeTakeFirst();
  const newest = Number(top?.m ?? 0);
  const rows = await sdb.db
    .selectFrom('changes')
    .select(['seq', 'body'])
    .where('seq', '>', since)
    .where('seq', '<=', newest)
    .where((eb) => eb.or([eb('mid', '=', device.mid), eb('mid', 'is', null)]))
    .where((eb) => eb.or([eb('skip_device', 'is', null), eb('skip_device', '<>', device.id)]))
    .where((eb) => eb.or([eb('to_device', 'is', null), eb('to_device', '=', device.id)]))
    .orderBy('seq')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = more ? Number(page[page.length - 1]!.seq) : Math.max(since, newest);
  return {
    cursor: formatCursor(last),
    more,
    serverTime: nowIso(),
    changes: page.map((r) => JSON.parse(r.body) as Change),
  };
}

/** Add a change for every device of a merchant (mid) or of all merchants (null). */
export async function addChange(trx: Tx, mid: string | null, body: Change): Promise<void> {
  await trx.insertInto('changes').values({ mid, skip_device: null, to_device: null, body: JSON.stringify(body) }).execute();
}

