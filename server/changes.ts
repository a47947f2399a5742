/** The changes feed (docs/spec/sync-protocol.md "GET /v1/changes"): what each device has not seen yet. */
import type { Change, ChangesPage } from '../common/protocol/sync';
import type { ServerDb, Tx } from './db';
import type { DeviceRef } from './devices';
import { nowIso } from './events';
import { numberChanges, numberPlatformChange } from './feeds';

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

/** The changes a device has not seen after `since` (a sequence number of its merchant's feed). */
export async function changesFor(sdb: ServerDb, device: DeviceRef, since: number, limit: number): Promise<ChangesPage> {
  // The newest change this device may see first, then the page up to it.
  // Gap-free (issue 14): a merchant's changes are numbered while its feed row
  // is locked (server/feeds.ts) and the lock is held until commit, so they
  // commit in the order of their numbers, and the committed counter is the
  // newest committed number: nothing at or below it can appear later.
  // Platform-wide changes move every merchant's counter up to their number.
  const feed = await sdb.db.selectFrom('feeds').select('last_seq').where('mid', '=', device.mid).executeTakeFirst();
  const newest = Number(feed?.last_seq ?? 0);
  const own = await sdb.db
    .selectFrom('changes')
    .select(['seq', 'body'])
    .where('mid', '=', device.mid)
    .where('seq', '>', since)
    .where('seq', '<=', newest)
    .where((eb) => eb.or([eb('skip_device', 'is', null), eb('skip_device', '<>', device.id)]))
    .where((eb) => eb.or([eb('to_device', 'is', null), eb('to_device', '=', device.id)]))
    .orderBy('seq')
    .limit(limit + 1)
    .execute();
  const everyone = await sdb.db
    .selectFrom('platform_changes')
    .select(['seq', 'body'])
    .where('seq', '>', since)
    .where('seq', '<=', newest)
    .orderBy('seq')
    .limit(limit + 1)
    .execute();
  const rows = [...own, ...everyone].sort((a, b) => Number(a.seq) - Number(b.seq)).slice(0, limit + 1);
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

/** Add a change for every device of a merchant (mid) or of all merchants (null: under the 'platform' lock). */
export async function addChange(trx: Tx, mid: string | null, body: Change): Promise<void> {
  if (mid === null) {
    await trx.insertInto('platform_changes').values({ seq: await numberPlatformChange(trx), body: JSON.stringify(body) }).execute();
    return;
  }
  await trx.insertInto('changes').values({ mid, seq: await numberChanges(trx, mid, 1), skip_device: null, to_device: null, body: JSON.stringify(body) }).execute();
}
