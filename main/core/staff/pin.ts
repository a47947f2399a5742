import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * A staff PIN as it is kept: scrypt's hash, the salt, and the parameters it was
 * made with (stored on the account, so a later VoucherDesk can raise them and
 * still check the PINs set before). A PIN is 4 to 8 digits, so the slow KDF and
 * the lockout (staff/lockout.ts) are what keep a copied database from giving
 * them away in a moment; about 50-100 ms per check on a counter PC.
 */
export interface PinKdf {
  alg: 'scrypt';
  N: number;
  r: number;
  p: number;
  len: number;
}

export const PIN_KDF: PinKdf = { alg: 'scrypt', N: 1 << 14, r: 8, p: 1, len: 32 };

export interface PinHash {
  hash: string;
  salt: string;
  kdf: PinKdf;
}

function derive(pin: string, salt: Buffer, kdf: PinKdf): Promise<Buffer> {
  const opts: ScryptOptions = { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(pin.normalize('NFKC'), salt, kdf.len, opts, (e, key) => (e ? reject(e) : resolve(key))));
}

export async function hashPin(pin: string, kdf: PinKdf = PIN_KDF): Promise<PinHash> {
  const salt = randomBytes(16);
  return { hash: (await derive(pin, salt, kdf)).toString('base64'), salt: salt.toString('base64'), kdf };
}

/** Whether `pin` is the one kept, compared in constant time. */
export async function pinMatches(pin: string, kept: PinHash): Promise<boolean> {
  const want = Buffer.from(kept.hash, 'base64');
  const got = await derive(pin, Buffer.from(kept.salt, 'base64'), kept.kdf);
  return got.length === want.length && timingSafeEqual(got, want);
}
