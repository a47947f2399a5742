import { join } from 'node:path';
import type { KdfRecord, SecretProtector } from '../keystore/protector';
import type { PassphraseLockout } from '../lockout';
import { databaseExists, databaseState, encryptInPlace, type EncryptHooks } from './encrypt';
import {
  newDbKey,
  openKeyFileWith,
  readKeyFile,
  removeKeyFileLeftover,
  sealNew,
  sealWithPassphrase,
  writeKeyFile,
  type DbKeyFile,
} from './key';
import { connect, openDatabase, type Db } from './open';

export const DB_FILE = 'voucherdesk.db';

export interface WorkstationDb {
  db: Db;
  file: string;
  /** The database key, for a backup (backup/snapshot.ts carries it sealed by the backup passphrase). */
  key: Buffer;
  /** How the key is sealed: the OS keychain, or the admin passphrase (sealed, or pending until it is set). */
  sealedBy: 'os' | 'passphrase';
  /** The admin passphrase's KDF record and derived key, when the passphrase opened the database. */
  admin: { record: KdfRecord; key: Buffer } | null;
  /** Seals a pending key with the admin passphrase's key; nothing when it is sealed already. */
  sealPending(kdf: KdfRecord, kdfKey: Buffer): Promise<void>;
  /** Seals a pending key with the OS keychain (a workstation whose keys the keychain protects); nothing when sealed already. */
  sealPendingWithOs(os: SecretProtector): Promise<void>;
}

export interface OpenOptions {
  /** The OS keychain, where there is one (the app). */
  os: SecretProtector | null;
  /** The admin passphrase, needed when the key is sealed with it. */
  passphrase?: string | undefined;
  /** Counts wrong passphrases: the same lockout as the key store's. */
  lockout?: PassphraseLockout;
  hooks?: EncryptHooks;
}

/** How a clear database from before encryption protected its keys (its settings say). */
function legacyProtector(file: string): string | null {
  const db = connect(file, undefined, { readonly: true });
  try {
    const row = db.prepare("SELECT value FROM settings WHERE key = 'keystore.protector'").get() as { value: string } | undefined;
    return row?.value ?? null;
  } catch {
    return null; // no settings table yet
  } finally {
    db.close();
  }
}

/**
 * Opens the workstation's encrypted database, making the key on the first
 * start and encrypting a clear database from an older version in place.
 * Throws `keystore.locked` when the key is sealed with the admin passphrase
 * and none was given, `admin.wrongPassphrase` for a wrong one (nothing changed).
 */
export async function openWorkstationDb(dataDir: string, opts: OpenOptions): Promise<WorkstationDb> {
  const file = join(dataDir, DB_FILE);
  removeKeyFileLeftover(dataDir);
  let keyFile = readKeyFile(dataDir);
  let key: Buffer;
  let admin: WorkstationDb['admin'] = null;
  if (keyFile) {
    ({ key, admin } = await openKeyFileWith(keyFile, opts));
  } else {
    if (databaseExists(file) && databaseState(file) === 'encrypted') {
      throw new Error('The workstation database is encrypted but its key file is missing');
    }
    key = newDbKey();
    // A workstation keeps the protection it was set up with (services.ts): keys sealed with
    // the passphrase stay so; the OS keychain seals a new workstation's key in the app.
    const os = opts.os && (!databaseExists(file) || legacyProtector(file) !== 'passphrase') ? opts.os : null;
    keyFile = await sealNew(key, os);
    // The key is on disk before any page is encrypted with it.
    writeKeyFile(dataDir, keyFile);
  }
  encryptInPlace(file, key, opts.hooks);
  const db = openDatabase(file, key);
  let current: DbKeyFile = keyFile;
  return {
    db,
    file,
    key,
    admin,
    sealedBy: current.mode === 'os' ? 'os' : 'passphrase',
    sealPending: async (kdf, kdfKey) => {
      if (current.mode !== 'pending') return;
      const sealed = await sealWithPassphrase(key, kdf, kdfKey);
      writeKeyFile(dataDir, sealed);
      current = sealed;
    },
    sealPendingWithOs: async (os) => {
      if (current.mode !== 'pending') return;
      const sealed = await sealNew(key, os);
      writeKeyFile(dataDir, sealed);
      current = sealed;
    },
  };
}

/**
 * Encrypts a workstation's clear database in place and closes it: the entry
 * point for scripts (the crash soak). Uses the passphrase when the key is sealed with it.
 */
export async function encryptWorkstation(dataDir: string, opts: Omit<OpenOptions, 'os'> & { os?: SecretProtector | null } = {}): Promise<void> {
  const { db } = await openWorkstationDb(dataDir, { os: null, ...opts });
  db.close();
}
