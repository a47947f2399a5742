/**
 * The GBV1 floor of the verify bench: the cryptography of openVoucher done
 * directly and synchronously with node:crypto on the same vouchers (key
 * agreement with the header's `epk`, Concat KDF, AES-GCM, signature check).
 */
import {
  createDecipheriv,
  createHash,
  createPublicKey,
  constants as cryptoConstants,
  diffieHellman,
  privateDecrypt,
  verify as cryptoVerify,
} from 'node:crypto';
import { nowUs } from './lib';
import type { BenchKeyring } from './verify-keyring';

export const b64 = (s: string) => Buffer.from(s, 'base64url');
export const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const lenPrefixed = (b: Buffer) => Buffer.concat([u32(b.length), b]);
const AES_KW_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');

/** Concat KDF (RFC 7518 §4.6.2) for keys of up to 256 bits: one SHA-256. */
export function concatKdf(z: Buffer, algId: string, bits: number): Buffer {
  const otherInfo = Buffer.concat([lenPrefixed(Buffer.from(algId)), u32(0), u32(0), u32(bits)]);
  return createHash('sha256').update(u32(1)).update(z).update(otherInfo).digest().subarray(0, bits >> 3);
}

const gcmName = (enc: string) => (enc === 'A256GCM' ? 'aes-256-gcm' : 'aes-128-gcm');
const encBits = (enc: string) => (enc === 'A256GCM' ? 256 : 128);

/** Phase times of one floor run, in µs. */
export interface FloorPhases {
  parse: number;
  epk: number;
  agree: number;
  kdf: number;
  unwrap: number;
  aes: number;
  verify: number;
}

/**
 * The floor: the same cryptography as the jose path, synchronous on
 * node:crypto, with only the framing it needs (split, the two headers' JSON).
 * No algorithm policy, no claims check. Returns the signed payload bytes.
 */
export function floorOpen(text: string, keys: BenchKeyring, phases?: FloorPhases): Buffer {
  let t = phases ? nowUs() : 0;
  const lap = (k: keyof FloorPhases) => {
    if (!phases) return;
    const now = nowUs();
    phases[k] += now - t;
    t = now;
  };
  const jwe = text.startsWith('GBV1:') ? text.slice(5) : text;
  const [h, ek, iv, ct, tag] = jwe.split('.') as [string, string, string, string, string];
  const header = JSON.parse(b64(h).toString('utf8')) as { alg: string; enc: string; kid: string; epk?: Record<string, string> };
  const mk = keys.merchant.get(header.kid)!;
  lap('parse');
  let cek: Buffer;
  if (header.alg.startsWith('ECDH-ES')) {
    const epk = createPublicKey({ key: header.epk!, format: 'jwk' });
    lap('epk');
    const z = diffieHellman({ privateKey: mk.key, publicKey: epk });
    lap('agree');
    const direct = header.alg === 'ECDH-ES';
    const derived = concatKdf(z, direct ? header.enc : header.alg, direct ? encBits(header.enc) : 256);
    lap('kdf');
    if (direct) cek = derived;
    else {
      const d = createDecipheriv('id-aes256-wrap', derived, AES_KW_IV);
      cek = Buffer.concat([d.update(b64(ek)), d.final()]);
      lap('unwrap');
    }
  } else {
    cek = privateDecrypt({ key: mk.key, padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, b64(ek));
    lap('unwrap');
  }
  const gcm = createDecipheriv(gcmName(header.enc), cek, b64(iv));
  gcm.setAAD(Buffer.from(h, 'ascii'));
  gcm.setAuthTag(b64(tag));
  const inner = Buffer.concat([gcm.update(b64(ct)), gcm.final()]).toString('utf8');
  lap('aes');
  const [ih, ip, is] = inner.split('.') as [string, string, string];
  const innerHeader = JSON.parse(b64(ih).toString('utf8')) as { alg: string; kid: string };
  const ik = keys.issuer.get(innerHeader.kid)!;
  lap('parse');
  const data = Buffer.from(`${ih}.${ip}`, 'ascii');
  const sig = b64(is);
  const ok =
    innerHeader.alg === 'EdDSA'
      ? cryptoVerify(null, data, ik.key, sig)
      : innerHeader.alg === 'ES256'
        ? cryptoVerify('sha256', data, { key: ik.key, dsaEncoding: 'ieee-p1363' }, sig)
        : innerHeader.alg === 'PS256'
          ? cryptoVerify('sha256', data, { key: ik.key, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig)
          : cryptoVerify('sha256', data, ik.key, sig);
  lap('verify');
  if (!ok) throw new Error('floor: bad signature');
  return b64(ip);
}
