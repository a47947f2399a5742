import Database from 'better-sqlite3';
import { createPrivateFile } from '../paths';
import { migrate, refuseFromTheFuture } from './migrate';
import { LATEST_VERSION, migrations } from './migrations';

export type Db = Database.Database;

/**
 * Opens the workstation database: WAL, synchronous=FULL (set on every open:
 * better-sqlite3 is compiled with WAL defaulting to NORMAL), foreign keys on,
 * and a busy timeout so two processes on one file wait for each other instead
 * of failing. Applies pending migrations and refuses a database from the future.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') createPrivateFile(file);
  const nativeBinding = process.env.VOUCHERDESK_SQLITE_BINDING;
  const db = new Database(file, nativeBinding ? { nativeBinding } : {});
  try {
    db.pragma('busy_timeout = 10000');
    refuseFromTheFuture(db, LATEST_VERSION);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
