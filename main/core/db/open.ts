import Database from 'better-sqlite3-multiple-ciphers';
import { createPrivateFile } from '../paths';
import { migrate, refuseFromTheFuture } from './migrate';
import { LATEST_VERSION, migrations } from './migrations';

export type Db = Database.Database;

/**
 * A connection to a SQLite file through the SQLCipher-capable build
 * (better-sqlite3-multiple-ciphers). `VOUCHERDESK_SQLITE_BINDING` names the
 * Electron build of the same module. With a key, every page is read and
 * written through SQLCipher 4 (AES-256, HMAC-SHA512 per page; the key is a raw
 * 256-bit key, so no KDF runs at open); a wrong key fails at the first read.
 */
export function connect(file: string, key?: Buffer, options: Database.Options = {}): Db {
  const nativeBinding = process.env.VOUCHERDESK_SQLITE_BINDING;
  const db = new Database(file, nativeBinding ? { ...options, nativeBinding } : options);
  if (key) {
    try {
      useKey(db, key);
    } catch (e) {
      db.close();
      throw e;
    }
  }
  return db;
}

/** SQLCipher 4's page format, so standard sqlcipher tools can read a copy with the key. */
export function useKey(db: Db, key: Buffer, pragma: 'key' | 'rekey' = 'key'): void {
  if (key.length !== 32) throw new Error('The database key must be 32 bytes');
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
  db.pragma(`${pragma} = "x'${key.toString('hex')}'"`);
}

/**
 * Opens the workstation database: WAL, synchronous=FULL (set on every open:
 * better-sqlite3 is compiled with WAL defaulting to NORMAL), foreign keys on,
 * and a busy timeout so two processes on one file wait for each other instead
 * of failing. Applies pending migrations and refuses a database from the future.
 * `key` encrypts it (main/core/db/key.ts); tests of the schema alone may omit it.
 */
export function openDatabase(file: string, key?: Buffer): Db {
  if (file !== ':memory:') createPrivateFile(file);
  const db = connect(file, key);
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
