/**
 * Write transactions that keep the promises with any number of server
 * processes on one database (issue 14), and nothing database-wide:
 *
 * - PostgreSQL: row locks (`SELECT … FOR UPDATE` in key order, so two
 *   transactions never wait on each other in a circle), never advisory locks:
 *   Citus and CockroachDB have row locks (server/README.md). An upload locks
 *   only what its rule needs (scope 'own', server/events.ts): the rows of the
 *   vouchers it touches, in vkey order, and last, for the shortest time, its
 *   merchant's feed row while it numbers its changes (server/feeds.ts), so that
 *   merchant's changes commit in the order of their numbers (the gap-free
 *   change feed, server/changes.ts). Uploads touching different vouchers run
 *   side by side, even for one merchant. Admin writes lock the merchants they
 *   write for, or all of them (platform-wide changes), at the start.
 * - SQLite (one writer by design): the first statement is a write, so the
 *   transaction takes SQLite's write lock at once (waiting up to busy_timeout),
 *   never upgrading from a read snapshot later.
 *
 * Serialization failures, deadlocks and unique-key races are retried here a
 * few times with a short random pause; when they persist the error is marked
 * busy, and the HTTP layer answers 503 with Retry-After (never 500).
 */
import { sql } from 'kysely';
import type { ServerDb, Tx } from './db';

/** PostgreSQL errors that a fresh attempt of the same transaction can cure. */
const RETRYABLE = new Set(['40001', '40P01', '23505']);
const ATTEMPTS = 5;

/** Thrown when a transaction kept failing with retryable errors: answered 503. */
export class BusyError extends Error {
  readonly code = 'DB_RETRY_EXHAUSTED';
  constructor(cause: unknown) {
    super('the database kept refusing the transaction (serialization, deadlock or key race); retry later', { cause });
  }
}

export function isRetryable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

/**
 * What a write locks at its start: the merchants it writes for, every merchant
 * (platform-wide changes), or nothing ('own': the transaction locks the rows it
 * touches itself, and numbers its changes from its merchant's feed row last).
 * SQLite takes its one write lock in every case.
 */
export type LockScope = { mids: string[] } | 'platform' | 'own';

/**
 * Run `fn` in a transaction holding the row locks of `scope` (see the module
 * comment), retrying it when the database asks to. Reads that need no lock
 * use `sdb.db` directly.
 */
export async function writeTx<T>(sdb: ServerDb, fn: (trx: Tx) => Promise<T>, scope: LockScope = 'platform'): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sdb.db.transaction().execute(async (trx) => {
        await lock(sdb, trx, scope);
        return fn(trx);
      });
    } catch (err) {
      if (!isRetryable(err)) throw err;
      if (attempt >= ATTEMPTS) throw new BusyError(err);
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
    }
  }
}

async function lock(sdb: ServerDb, trx: Tx, scope: LockScope): Promise<void> {
  if (sdb.dialect === 'sqlite') {
    await sql`insert into settings (name, value) values ('write-lock', '') on conflict (name) do nothing`.execute(trx);
    await sql`update settings set value = value where name = 'write-lock'`.execute(trx);
    return;
  }
  if (scope !== 'own') await lockMerchants(sdb, trx, scope);
}

/** Lock merchants' rows (PostgreSQL; SQLite's write lock is held already): the ones named, in id order, or all. */
export async function lockMerchants(sdb: ServerDb, trx: Tx, scope: { mids: string[] } | 'platform'): Promise<void> {
  if (sdb.dialect === 'sqlite') return;
  let q = trx.selectFrom('merchants').select('id').orderBy('id').forUpdate();
  if (scope !== 'platform') {
    const mids = [...new Set(scope.mids)].sort();
    if (mids.length === 0) return;
    q = q.where('id', 'in', mids);
  }
  await q.execute();
}
