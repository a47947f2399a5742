import type { Db } from './open';
import { UserError } from '../errors';

/**
 * Applies schema changes the way Signal Desktop does: one file per migration
 * (db/migrations/NNNN-*.ts) exporting `up(db)`, listed with explicit versions
 * in db/migrations/index.ts. The version is kept in PRAGMA user_version; all
 * pending migrations run in one transaction at open; a database written by a
 * newer VoucherDesk is refused, never guessed at.
 */
export interface Migration {
  /** 1 for the first, then one more for each: the value PRAGMA user_version takes once it ran. */
  version: number;
  name: string;
  up(db: Db): void;
}

/**
 * Checks a list before it touches any database: versions 1, 2, 3 … strictly
 * in order, with no gap and no repeat, and no name twice. Returns the latest version.
 */
export function checkMigrations(list: readonly Migration[]): number {
  const names = new Set(list.map((m) => m.name));
  if (names.size !== list.length) throw new Error('Two migrations have the same name');
  list.forEach((m, i) => {
    const before = i === 0 ? 0 : list[i - 1]!.version;
    if (m.version !== before + 1) {
      const what = m.version <= before ? 'is out of order or repeated' : 'skips a version';
      throw new Error(`Migration versions go 1, 2, 3 … in order: "${m.name}" has ${m.version} after ${before} (${what})`);
    }
  });
  return list.length;
}

/** Refuses a database written by a newer VoucherDesk; reads only, so the file stays as it was. */
export function refuseFromTheFuture(db: Db, latest: number): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) {
    throw new UserError(
      'db.fromTheFuture',
      `This database was written by a newer VoucherDesk (schema ${current}, this version knows ${latest}). Update VoucherDesk; the database was not changed.`,
      { found: current, known: latest },
    );
  }
}

/** Brings the database to the list's latest version: every pending migration, in one transaction. */
export function migrate(db: Db, list: readonly Migration[]): void {
  const latest = checkMigrations(list);
  refuseFromTheFuture(db, latest);
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current === latest) return;
  db.transaction(() => {
    for (const m of list) if (m.version > current) m.up(db);
    db.pragma(`user_version = ${latest}`);
  }).immediate();
}
