import { createCipheriv, createDecipheriv, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Private keys are stored only as blobs made by a SecretProtector: the OS
 * keychain (Electron safeStorage, reached through the parent process) in the
 * app, or AES-256-GCM under a key derived from the admin passphrase with
 * scrypt where no keychain is available (browser host, CLI, tests).
 */
export interface SecretProtector {
  protect(plain: Buffer): Promise<Buffer>;
  unprotect(blob: Buffer): Promise<Buffer>;
}

const AAD = Buffer.from('voucherdesk:secret:v1');
const VERSION = 1;

export class AesGcmProtector implements SecretProtector {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('AES-256 needs a 32-byte key');
  }

  async protect(plain: Buffer): Promise<Buffer> {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(AAD);
    const body = Buffer.concat([c.update(plain), c.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, c.getAuthTag(), body]);
  }

  async unprotect(blob: Buffer): Promise<Buffer> {
    if (blob.length < 29 || blob[0] !== VERSION) throw new Error('Not a protected secret');
    const d = createDecipheriv('aes-256-gcm', this.key, blob.subarray(1, 13));
    d.setAAD(AAD);
    d.setAuthTag(blob.subarray(13, 29));
    return Buffer.concat([d.update(blob.subarray(29)), d.final()]);
  }
}

/** scrypt parameters and a check value, stored in the clear in settings. */
export interface KdfRecord {
  v: 1;
  salt: string;
  N: number;
  r: number;
  p: number;
  /** AES-GCM of a constant under the derived key: proves a passphrase without storing it. */
  check: string;
}

const CHECK = Buffer.from('voucherdesk:admin-passphrase:v1');
/** 2^15 takes about 100 ms here; enough to make guessing slow, short enough for a counter. */
const DEFAULT_N = 1 << 15;

function deriveKey(passphrase: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), salt, 32, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function createKdf(passphrase: string, N = DEFAULT_N): Promise<{ record: KdfRecord; key: Buffer }> {
  const salt = randomBytes(16);
  const key = await deriveKey(passphrase, salt, N, 8, 1);
  const check = await new AesGcmProtector(key).protect(CHECK);
  return { record: { v: 1, salt: salt.toString('base64'), N, r: 8, p: 1, check: check.toString('base64') }, key };
}

/** The derived key when the passphrase is right, else null. */
export async function checkKdf(record: KdfRecord, passphrase: string): Promise<Buffer | null> {
  const key = await deriveKey(passphrase, Buffer.from(record.salt, 'base64'), record.N, record.r, record.p);
  try {
    const plain = await new AesGcmProtector(key).unprotect(Buffer.from(record.check, 'base64'));
    return plain.length === CHECK.length && timingSafeEqual(plain, CHECK) ? key : null;
  } catch {
    return null;
  }
}
