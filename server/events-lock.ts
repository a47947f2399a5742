/**
 * What an upload locks (issue 14: locks as narrow as the rule). Conflicts
 * never cross vouchers, so an upload locks the rows of the vouchers it
 * touches: those of its redemptions and those of the redemptions its
 * reversals reverse, its merchant's only, in vkey order (every upload takes
 * them in that one order, so two uploads never wait on each other in a
 * circle). Everything the decision reads afterwards (the voucher's counters,
 * its redemptions, the targets' status and reversal) is written only under
 * that voucher's lock, so it is read after the lock is granted. Event ids need
 * no lock: the unique key (mid, id) refuses a second copy and the attempt is
 * retried (server/events-write.ts). The merchant's feed row is locked only at
 * the very end, to number the changes (server/feeds.ts).
 */
import type { EventTable, ServerDb, Tx, VoucherTable } from './db';
import { chunks, voucherState, type VoucherState } from './events-write';

export type Target = Omit<EventTable, 'seq' | 'body' | 'result'>;

const TARGET_COLUMNS = ['id', 'mid', 'type', 'vkey', 'origin', 'device', 'branch', 'at', 'at_ms', 'units', 'amount', 'reverses', 'status', 'reversed_by', 'received_at'] as const;

/** This merchant's events among `ids` (ids are per merchant: another merchant's event of the same id is not a target). */
async function readTargets(trx: Tx, mid: string, ids: string[]): Promise<Map<string, Target>> {
  const out = new Map<string, Target>();
  await chunks(ids, 500, async (part) => {
    for (const r of await trx.selectFrom('events').select([...TARGET_COLUMNS]).where('mid', '=', mid).where('id', 'in', part).execute()) out.set(r.id, r);
  });
  return out;
}

/** Lock this merchant's vouchers among `vkeys` (PostgreSQL; SQLite holds its write lock), in vkey order, and read them. */
async function lockVouchers(sdb: ServerDb, trx: Tx, mid: string, vkeys: string[]): Promise<VoucherTable[]> {
  const out: VoucherTable[] = [];
  await chunks([...new Set(vkeys)].sort(), 500, async (part) => {
    let q = trx.selectFrom('vouchers').selectAll().where('mid', '=', mid).where('vkey', 'in', part).orderBy('vkey');
    if (sdb.dialect === 'postgres') q = q.forUpdate();
    out.push(...(await q.execute()));
  });
  return out;
}

/**
 * Lock the vouchers an upload touches and read them and its reversals'
 * stored targets. Other merchants' vouchers are read without a lock (only to
 * refuse them).
 */
export async function lockAndRead(
  sdb: ServerDb,
  trx: Tx,
  mid: string,
  vkeys: string[],
  targetIds: string[],
): Promise<{ vouchers: Map<string, VoucherState>; targets: Map<string, Target> }> {
  const locked = new Set<string>();
  const vouchers = new Map<string, VoucherState>();
  const lock = async (keys: string[]) => {
    const todo = keys.filter((k) => !locked.has(k));
    for (const v of await lockVouchers(sdb, trx, mid, todo)) vouchers.set(v.vkey, voucherState(v));
    for (const k of todo) locked.add(k);
  };
  // The targets' vouchers are known from a first read (a voucher never changes its redemptions' vkey).
  const first = await readTargets(trx, mid, targetIds);
  await lock([...vkeys, ...[...first.values()].flatMap((t) => (t.vkey ? [t.vkey] : []))]);
  // Read again under the locks: a target's status or reversal may have changed while this upload waited.
  for (;;) {
    const targets = await readTargets(trx, mid, targetIds);
    const late = [...targets.values()].flatMap((t) => (t.vkey && !locked.has(t.vkey) ? [t.vkey] : []));
    if (late.length === 0) return { vouchers: await readOthers(trx, vkeys, vouchers), targets };
    // A target committed while this upload waited: lock its voucher too (out of order, so a
    // deadlock is possible and is retried by server/tx.ts), then read once more.
    await lock(late);
  }
}

/** Vouchers that are not this merchant's (or not known): read without a lock, only to be refused. */
async function readOthers(trx: Tx, vkeys: string[], vouchers: Map<string, VoucherState>): Promise<Map<string, VoucherState>> {
  const others = vkeys.filter((k) => !vouchers.has(k));
  await chunks([...new Set(others)], 500, async (part) => {
    for (const v of await trx.selectFrom('vouchers').selectAll().where('vkey', 'in', part).execute()) vouchers.set(v.vkey, voucherState(v));
  });
  return vouchers;
}
