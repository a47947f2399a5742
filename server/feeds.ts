/**
 * Numbering the change feed (issue 14, migration 0007): each merchant has its
 * own counter, `feeds.last_seq` (key `mid`: distributed by merchant, colocated
 * with its changes on Citus), and a change is numbered while that row is
 * locked; the lock is held until commit. So a merchant's changes commit in
 * the order of their numbers, and the committed counter is the newest number
 * a reader may go up to: everything at or below it is committed (gap-free,
 * server/changes.ts). Numbers are per merchant; a device only ever sees its
 * own merchant's.
 *
 * Platform-wide changes (issuer keys, campaigns for everyone) are kept once,
 * in `platform_changes` (a reference table on Citus), under a number above
 * every merchant's counter, and every counter moves up to it: each merchant's
 * later changes come after it, its earlier ones before it. A merchant made
 * later starts its counter at the newest platform-wide number, so its devices
 * read every platform-wide change first, as before.
 */
import { sql } from 'kysely';
import type { Tx } from './db';

/** Take `n` numbers for this merchant's changes (its feed row stays locked until commit); the first one. */
export async function numberChanges(trx: Tx, mid: string, n: number): Promise<number> {
  const row = await trx
    .updateTable('feeds')
    .set({ last_seq: sql<number>`last_seq + ${n}` })
    .where('mid', '=', mid)
    .returning('last_seq')
    .executeTakeFirst();
  if (!row) throw new Error(`merchant ${mid} has no change feed`);
  return Number(row.last_seq) - n + 1;
}

async function newestPlatformChange(trx: Tx): Promise<number> {
  const r = await trx.selectFrom('platform_changes').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst();
  return Number(r?.m ?? 0);
}

/**
 * The number of a new platform-wide change. Run under the 'platform' lock
 * (server/tx.ts: every merchant's row), so platform-wide changes are numbered
 * one at a time; the feeds are locked here too (an upload in flight holds its
 * merchant's feed row: this waits for its commit and reads the counter after it).
 */
export async function numberPlatformChange(trx: Tx): Promise<number> {
  // An UPDATE waits for the rows' locks and then sees their committed values (READ COMMITTED).
  const feeds = await trx.updateTable('feeds').set({ last_seq: sql<number>`last_seq` }).returning('last_seq').execute();
  const seq = Math.max(await newestPlatformChange(trx), ...feeds.map((f) => Number(f.last_seq))) + 1;
  await trx.updateTable('feeds').set({ last_seq: seq }).execute();
  return seq;
}

/** A new merchant's feed: it starts at the newest platform-wide change (its devices read those first). Under the 'platform' lock. */
export async function openFeed(trx: Tx, mid: string): Promise<void> {
  await trx.insertInto('feeds').values({ mid, last_seq: await newestPlatformChange(trx) }).execute();
}
