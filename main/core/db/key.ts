import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors';
import { AesGcmProtector, checkKdf, type KdfRecord, type SecretProtector } from '../keystore/protector';
import { writePrivateFileDurably } from '../paths';
import type { PassphraseLockout } from '../lockout';

/**
 * The database key: 32 random bytes made once per workstation, kept outside
 * the database in `voucherdesk.key` (0600, JSON), sealed exactly like the
 * private keys:
 *
 * - `os`: by the OS keychain (the app); the database opens at start.
 * - `passphrase`: AES-256-GCM under the scrypt key of the admin passphrase;
 *   the file carries a copy of the passphrase's KDF record, so the passphrase
 *   is checked, and the database opened, before anything in it is read.
 * - `pending`: the key itself, only until the admin passphrase is set (a fresh
 *   workstation without a keychain, or one just moved off a clear database);
 *   the first `admin.setup` or passphrase check seals it.
 */
export type DbKeyFile =
  | { v: 1; mode: 'pending'; key: string }
  | { v: 1; mode: 'os'; blob: string }
  | { v: 1; mode: 'passphrase'; kdf: KdfRecord; blob: string };

export const KEY_FILE = 'voucherdesk.key';

export function keyFilePath(dataDir: string): string {
  return join(dataDir, KEY_FILE);
}

export function readKeyFile(dataDir: string): DbKeyFile | null {
  let text: string;
  try {
    text = readFileSync(keyFilePath(dataDir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const file = JSON.parse(text) as DbKeyFile;
  if (file.v !== 1 || !['pending', 'os', 'passphrase'].includes(file.mode)) throw new Error('Unknown database key file format');
  return file;
}

/** Atomic and durable (paths.ts): never half a key file. */
export function writeKeyFile(dataDir: string, file: DbKeyFile): void {
  writePrivateFileDurably(keyFilePath(dataDir), `${JSON.stringify(file)}
`);
}

/** A leftover of a write killed half-way: never the key itself. */
export function removeKeyFileLeftover(dataDir: string): void {
  rmSync(`${keyFilePath(dataDir)}.tmp`, { force: true });
}

export function newDbKey(): Buffer {
  return randomBytes(32);
}

export const lockedError = () =>
  new UserError('keystore.locked', 'The key store is locked: enter the admin passphrase first.');

/** Seals a key for the file: with the OS keychain when there is one, else pending until a passphrase exists. */
export async function sealNew(key: Buffer, os: SecretProtector | null): Promise<DbKeyFile> {
  if (os) return { v: 1, mode: 'os', blob: (await os.protect(key)).toString('base64') };
  return { v: 1, mode: 'pending', key: key.toString('hex') };
}

export async function sealWithPassphrase(key: Buffer, kdf: KdfRecord, kdfKey: Buffer): Promise<DbKeyFile> {
  return { v: 1, mode: 'passphrase', kdf, blob: (await new AesGcmProtector(kdfKey).protect(key)).toString('base64') };
}

/**
 * The key from the file: the keychain opens `os`, the admin passphrase opens
 * `passphrase` (none: `keystore.locked`; a wrong one: `admin.wrongPassphrase`,
 * and nothing changes).
 */
export async function openKeyFile(file: DbKeyFile, opts: { os: SecretProtector | null; passphrase?: string | undefined }): Promise<Buffer> {
  return (await openKeyFileWith(file, opts)).key;
}

/** The same, with the admin passphrase's derived key when the passphrase opened it (the key store need not derive it again). */
export async function openKeyFileWith(
  file: DbKeyFile,
  opts: { os: SecretProtector | null; passphrase?: string | undefined; lockout?: PassphraseLockout },
): Promise<{ key: Buffer; admin: { record: KdfRecord; key: Buffer } | null }> {
  switch (file.mode) {
    case 'pending':
      return { key: checkedKey(Buffer.from(file.key, 'hex')), admin: null };
    case 'os': {
      if (!opts.os) {
        throw new UserError('keystore.unreadable', "This workstation's data is sealed by the OS keychain of the app; open it in the VoucherDesk app.");
      }
      try {
        return { key: checkedKey(await opts.os.unprotect(Buffer.from(file.blob, 'base64'))), admin: null };
      } catch {
        throw new UserError('keystore.unreadable', 'The OS keychain could not open the database key of this workstation.');
      }
    }
    case 'passphrase': {
      if (!opts.passphrase) throw lockedError();
      // The same lockout as every other check of the admin passphrase (lockout.ts).
      opts.lockout?.check();
      const kdfKey = await checkKdf(file.kdf, opts.passphrase);
      if (!kdfKey) {
        opts.lockout?.failed();
        throw new UserError('admin.wrongPassphrase', 'Wrong admin passphrase.');
      }
      opts.lockout?.succeeded();
      return { key: checkedKey(await new AesGcmProtector(kdfKey).unprotect(Buffer.from(file.blob, 'base64'))), admin: { record: file.kdf, key: kdfKey } };
    }
  }
}

function checkedKey(key: Buffer): Buffer {
  if (key.length !== 32) throw new Error('The database key file is damaged');
  return key;
}
