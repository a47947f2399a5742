import { closeSync, existsSync, fsyncSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fsyncDir } from '../paths';
import { connect, useKey, type Db } from './open';

/**
 * Moves a clear workstation database to an encrypted one, in place, so that a
 * `kill -9` at any moment leaves a usable database holding everything
 * committed:
 *
 * 1. the clear database leaves WAL mode (its -wal is folded into the file);
 * 2. `VACUUM INTO` copies it to `<db>.encrypting`, which is then rekeyed;
 * 3. the copy is checked: integrity_check, the schema version, and the same
 *    number of rows in every table; then fsynced;
 * 4. it is renamed over the clear file (atomic), and the folder fsynced.
 *
 * Until step 4 the clear file is untouched and a killed attempt leaves only a
 * temp file, removed at the next start before trying again; after it the
 * encrypted file is the database. The key must already be saved (key.ts).
 */
export type EncryptStep = 'checkpointed' | 'copied' | 'rekeyed' | 'verified' | 'swapped';

export interface EncryptHooks {
  /** Called after each step (the crash test stops the process there). */
  at?(step: EncryptStep): void;
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export function tempFileOf(file: string): string {
  return `${file}.encrypting`;
}

/** Removes what a killed attempt left: the temp copy and its journals. Never the database. */
export function removeEncryptLeftovers(file: string): void {
  const tmp = tempFileOf(file);
  for (const f of [tmp, `${tmp}-journal`, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
}

function size(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** `none` (new or empty), `clear` (plain SQLite) or `encrypted` (anything else SQLite3MC wrote). */
export function databaseState(file: string): 'none' | 'clear' | 'encrypted' {
  const bytes = size(file);
  if (bytes >= SQLITE_HEADER.length) {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
    return head.equals(SQLITE_HEADER) ? 'clear' : 'encrypted';
  }
  if (size(`${file}-wal`) === 0) return 'none';
  // Everything is still in the WAL (never checkpointed): ask SQLite whether it reads without a key.
  let db: Db | null = null;
  try {
    db = connect(file);
    const n = (db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number }).n;
    return n > 0 ? 'clear' : 'none';
  } catch {
    return 'encrypted';
  } finally {
    db?.close();
  }
}

function tables(db: Db): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );
}

function count(db: Db, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM "${table.replaceAll('"', '""')}"`).get() as { n: number }).n;
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Encrypts `file` with `key` when it is clear; returns what it found. */
export function encryptInPlace(file: string, key: Buffer, hooks: EncryptHooks = {}): 'none' | 'clear' | 'encrypted' {
  removeEncryptLeftovers(file);
  const state = databaseState(file);
  if (state !== 'clear') return state;
  const tmp = tempFileOf(file);
  const src = connect(file);
  try {
    src.pragma('busy_timeout = 10000');
    src.pragma('journal_mode = DELETE');
    hooks.at?.('checkpointed');
    src.prepare('VACUUM INTO ?').run(tmp);
    hooks.at?.('copied');

    const copy = connect(tmp);
    try {
      copy.pragma('journal_mode = DELETE');
      useKey(copy, key, 'rekey');
    } finally {
      copy.close();
    }
    hooks.at?.('rekeyed');

    const enc = connect(tmp, key, { readonly: true });
    try {
      const ok = enc.pragma('integrity_check', { simple: true });
      if (ok !== 'ok') throw new Error('The encrypted copy failed its integrity check; the clear database was kept');
      if (enc.pragma('user_version', { simple: true }) !== src.pragma('user_version', { simple: true })) {
        throw new Error('The encrypted copy has another schema version; the clear database was kept');
      }
      const names = tables(src);
      if (tables(enc).join() !== names.join()) throw new Error('The encrypted copy has other tables; the clear database was kept');
      for (const t of names) {
        if (count(enc, t) !== count(src, t)) throw new Error('The encrypted copy lost rows; the clear database was kept');
      }
    } finally {
      enc.close();
    }
    fsyncFile(tmp);
    hooks.at?.('verified');
  } finally {
    src.close();
  }
  // The clear file is out of WAL mode and closed, so no clear -wal can be replayed onto the copy.
  if (size(`${file}-wal`) > 0) throw new Error('The database is in use by another process; try again once it is closed');
  rmSync(`${file}-wal`, { force: true });
  rmSync(`${file}-shm`, { force: true });
  renameSync(tmp, file);
  fsyncDir(dirname(file));
  hooks.at?.('swapped');
  return 'clear';
}

/** True when a database file (or its WAL) exists beside the key. */
export function databaseExists(file: string): boolean {
  return existsSync(file) && (size(file) > 0 || size(`${file}-wal`) > 0);
}
