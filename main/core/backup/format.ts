import { createCipheriv, createDecipheriv, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { UserError } from '../errors';

/**
 * The backup file (`.vdbackup`): one file, encrypted and authenticated.
 *
 *     "VDBK" | version (1 byte) | header length (4 bytes, BE) | header (JSON, UTF-8)
 *     | ciphertext | GCM tag (16 bytes)
 *
 * - The header is in the clear so `backup.verify` can say whose backup it is
 *   before the passphrase is typed: format, version, merchant, device, time,
 *   event count, the last event id, the schema version, and the KDF's salt and
 *   cost. It is the AEAD's additional data, so a changed byte in it (or in the
 *   body, or a cut file) fails the tag: the backup is refused as altered.
 * - The key is scrypt (N = 2^17, r = 8: about half a second and 128 MB here,
 *   so guessing a backup passphrase is slow) of the passphrase the owner gives
 *   for backups; AES-256-GCM (node:crypto) with a fresh 12-byte IV per file.
 * - `check` (AES-GCM of a constant under the same key) tells a wrong
 *   passphrase apart from a damaged file, so each is refused in plain words.
 * - No merchant signature: on the PC it matters for (a new one) the only
 *   public key to check it with would come out of the backup itself, so it
 *   would prove nothing the tag does not; the tag is what restore relies on.
 */
export const MAGIC = Buffer.from('VDBK', 'latin1');
export const FORMAT_VERSION = 1;
const TAG = 16;
const CHECK = Buffer.from('voucherdesk:backup-passphrase:v1');
export const DEFAULT_COST = 1 << 17;

export interface BackupHeader {
  format: 'voucherdesk-backup';
  v: 1;
  /** When the backup was taken (ms since the epoch). */
  at: number;
  app: string;
  device: string;
  merchant: { id: string; name: string } | null;
  /** Ledger events in the contained database, and the newest one's id. */
  events: number;
  lastEventId: string | null;
  /** The contained database's migration version (PRAGMA user_version). */
  schema: number;
  kdf: { alg: 'scrypt'; salt: string; N: number; r: number; p: number };
  iv: string;
  check: string;
}

export type HeaderFacts = Omit<BackupHeader, 'format' | 'v' | 'kdf' | 'iv' | 'check'>;

export const unreadable = () => new UserError('backup.unreadable', 'This file is not a VoucherDesk backup, or it is cut short.');
export const altered = () => new UserError('backup.altered', 'This backup was changed or damaged after it was made; it cannot be restored.');
export const wrongPassphrase = () => new UserError('backup.wrongPassphrase', 'Wrong backup passphrase.');

export function deriveBackupKey(passphrase: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), salt, 32, { N, r, p, maxmem: 256 * N * r + 16 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

function gcmSeal(key: Buffer, plain: Buffer, aad?: Buffer): { iv: Buffer; body: Buffer; tag: Buffer } {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  if (aad) c.setAAD(aad);
  const body = Buffer.concat([c.update(plain), c.final()]);
  return { iv, body, tag: c.getAuthTag() };
}

/** The key of a backup passphrase, with its KDF parameters (kept for the schedule, which has no one to type it). */
export interface BackupKey {
  key: Buffer;
  kdf: BackupHeader['kdf'];
}

export async function backupKey(passphrase: string, cost = DEFAULT_COST): Promise<BackupKey> {
  const salt = randomBytes(16);
  const key = await deriveBackupKey(passphrase, salt, cost, 8, 1);
  return { key, kdf: { alg: 'scrypt', salt: salt.toString('base64'), N: cost, r: 8, p: 1 } };
}

/** Encrypts `payload` under the backup key, with the header as additional data. */
export function sealBackup(facts: HeaderFacts, payload: Buffer, k: BackupKey): Buffer {
  const check = gcmSeal(k.key, CHECK);
  const iv = randomBytes(12);
  const header: BackupHeader = {
    format: 'voucherdesk-backup',
    v: 1,
    ...facts,
    kdf: k.kdf,
    iv: iv.toString('base64'),
    check: Buffer.concat([check.iv, check.tag, check.body]).toString('base64'),
  };
  const head = headerBytes(header);
  const c = createCipheriv('aes-256-gcm', k.key, iv);
  c.setAAD(head);
  const body = Buffer.concat([c.update(payload), c.final()]);
  return Buffer.concat([head, body, c.getAuthTag()]);
}

function headerBytes(header: BackupHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length);
  return Buffer.concat([MAGIC, Buffer.from([FORMAT_VERSION]), len, json]);
}

/** The header alone (no passphrase needed), and where the body starts. */
export function readHeader(file: Buffer): { header: BackupHeader; headEnd: number } {
  if (file.length < 9 + TAG || !file.subarray(0, 4).equals(MAGIC)) throw unreadable();
  if (file[4] !== FORMAT_VERSION) throw new UserError('backup.tooNew', 'This backup was made by a newer VoucherDesk; update VoucherDesk to restore it.');
  const len = file.readUInt32BE(5);
  const headEnd = 9 + len;
  if (len > 64 * 1024 || file.length < headEnd + TAG) throw unreadable();
  let header: BackupHeader;
  try {
    header = JSON.parse(file.subarray(9, headEnd).toString('utf8')) as BackupHeader;
  } catch {
    throw altered();
  }
  const k = header?.kdf;
  if (header?.format !== 'voucherdesk-backup' || header.v !== 1 || k?.alg !== 'scrypt' || typeof header.iv !== 'string' || typeof header.check !== 'string') throw altered();
  // Bounds on the cost a file may ask for: a doctored header must not make restore use gigabytes.
  if (![k.N, k.r, k.p].every(Number.isInteger) || k.N < 1024 || k.N > 1 << 20 || k.r < 1 || k.r > 16 || k.p < 1 || k.p > 4) throw altered();
  return { header, headEnd };
}

/** Decrypts a backup: wrong passphrase, altered and unreadable files are refused apart. */
export async function openBackup(file: Buffer, passphrase: string): Promise<{ header: BackupHeader; payload: Buffer; tag: Buffer }> {
  const { header, headEnd } = readHeader(file);
  const { salt, N, r, p } = header.kdf;
  const key = await deriveBackupKey(passphrase, Buffer.from(salt, 'base64'), N, r, p);
  const check = Buffer.from(header.check, 'base64');
  try {
    const d = createDecipheriv('aes-256-gcm', key, check.subarray(0, 12));
    d.setAuthTag(check.subarray(12, 28));
    const plain = Buffer.concat([d.update(check.subarray(28)), d.final()]);
    if (plain.length !== CHECK.length || !timingSafeEqual(plain, CHECK)) throw new Error('check');
  } catch {
    throw wrongPassphrase();
  }
  const tag = file.subarray(file.length - TAG);
  try {
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(header.iv, 'base64'));
    d.setAAD(file.subarray(0, headEnd));
    d.setAuthTag(tag);
    const payload = Buffer.concat([d.update(file.subarray(headEnd, file.length - TAG)), d.final()]);
    return { header, payload, tag };
  } catch {
    throw altered();
  }
}
