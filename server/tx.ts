/**
 * Write transactions that keep the promises with any number of server
 * processes on one database (issue 14), and nothing database-wide:
 *
 * - PostgreSQL: the transaction first locks the rows of the merchants it
 *   writes for (`SELECT … FROM merchants … ORDER BY id FOR UPDATE`: row locks,
 *   in key order, so two transactions never wait on each other in a circle).
 *   Uploads of different merchants never wait on each other; uploads of one
 *   merchant run one after the other, which makes conflict detection exact
 *   and makes that merchant's changes commit in the order of their numbers
 *   (the gap-free change feed, server/changes.ts). Row locks, not advisory
 *   locks: Citus and CockroachDB have them (server/README.md).
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

/** The merchants a write locks: the ones it writes for, or every merchant (platform-wide changes). */
export type LockScope = { mids: string[] } | 'platform';

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
  let q = trx.selectFrom('merchants').select('id').orderBy('id').forUpdate();
  if (scope !== 'platform') {
    const mids = [...new Set(scope.mids)].sort();
    if (mids.length === 0) return;
    q = q.where('id', 'in', mids);
  }
  await q.execute();
}
