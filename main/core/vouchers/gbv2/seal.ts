/**
 * Making GBV2 texts (docs/spec/voucher-format-v2.md), the mirror of open.ts: the
 * claims as a CBOR map with their integer keys, a COSE_Sign1 by the issuer
 * (EdDSA or ES256), sealed to the merchant with HPKE base mode (X25519 or
 * P-256, HKDF-SHA256, AES-256-GCM), the envelope `[kid, enc, ct]` in Base45
 * after `GBV2:`. One definition for the workstation (its own member cards and
 * referral vouchers) and the issuer tool (server/issuer/mint-v2.ts).
 *
 * The claims come in their GBV1 form: `knd` and `shr` as words, `pin` as
 * base64url, written under the key table the workstation reads them with
 * (claims.ts). A value that has no GBV2 form (a `knd` of "bogus") is written as
 * it is, and the reader judges it.
 *
 * CBOR encoding is cborg's, with RFC 8949's deterministic rules (shortest
 * integers and lengths, map keys in bytewise order). No side effects on import.
 */
import type { KeyObject } from 'node:crypto';
import { encode, rfc8949EncodeOptions } from 'cborg';
import { encodeBase45 } from './base45';
import { CLAIMS, KINDS, SHARING } from './claims';
import { ALG_EDDSA, ALG_ES256, sigStructure, signSignature } from './cose-sign1';
import { sealBase, type Kem } from './hpke';
import { PREFIX } from './open';

export const GBV2_PREFIX = PREFIX;

/** The JOSE names of the signing algorithms GBV2 allows, and their COSE numbers. */
export const COSE_ALG = { EdDSA: ALG_EDDSA, ES256: ALG_ES256 } as const;
export type Gbv2SignAlg = keyof typeof COSE_ALG;

/** GBV1 claim name → its GBV2 integer key and type. */
const KEY_OF = new Map([...CLAIMS].map(([key, [name, type]]) => [name, { key, type }] as const));

/** A claim's value in its GBV2 form; a value with no GBV2 form is returned as it is. */
function cborValue(type: string, value: unknown): unknown {
  if (type === 'knd' || type === 'shr') {
    const index = (type === 'knd' ? (KINDS as readonly unknown[]) : (SHARING as readonly unknown[])).indexOf(value);
    return index >= 0 ? index : value;
  }
  if (type === 'pin' && typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value)) return Buffer.from(value, 'base64url');
  return value;
}

/**
 * The claims as the GBV2 payload holds them: a Map with the spec's integer
 * keys for the known claims, and the other claims under their own text names.
 */
export function claimsToCbor(claims: Record<string, unknown>): Map<number | string, unknown> {
  const out = new Map<number | string, unknown>();
  for (const [name, value] of Object.entries(claims)) {
    if (value === undefined) continue;
    const known = KEY_OF.get(name);
    if (known) out.set(known.key, cborValue(known.type, value));
    else out.set(name, value);
  }
  return out;
}

/** The deterministic CBOR encoding of a value (RFC 8949 §4.2.1). */
export function encodeCbor(value: unknown): Uint8Array {
  return encode(value, rfc8949EncodeOptions);
}

/** The keys a GBV2 text is made with: the issuer's private signing key and the merchant's public encryption key. */
export interface Gbv2Keys {
  signAlg: Gbv2SignAlg;
  signKid: string;
  signingKey: KeyObject;
  merchantKid: string;
  kem: Kem;
  sealKey: KeyObject;
}

/** Sign and seal: returns `sealPayload(payload)`, the Base45 text without the prefix, for any payload bytes. */
export function createSealer(keys: Gbv2Keys): (payload: Uint8Array) => string {
  const alg = COSE_ALG[keys.signAlg];
  const suite = { kem: keys.kem, aead: 'AES-256-GCM' as const };
  const info = Buffer.from(GBV2_PREFIX + keys.merchantKid, 'utf8');
  const protectedBytes = encodeCbor(new Map([[1, alg]]));
  const unprotected = new Map([[4, Buffer.from(keys.signKid, 'utf8')]]);
  return (payload) => {
    const signature = signSignature(alg, keys.signingKey, sigStructure(protectedBytes, payload));
    const sign1 = encodeCbor([protectedBytes, unprotected, payload, signature]);
    const { enc, ct } = sealBase(suite, keys.sealKey, info, new Uint8Array(), sign1);
    return encodeBase45(encodeCbor([keys.merchantKid, enc, ct]));
  };
}

/** A whole GBV2 voucher text, `GBV2:` and all, for these claims. */
export function sealGbv2(keys: Gbv2Keys, claims: Record<string, unknown>): string {
  return GBV2_PREFIX + createSealer(keys)(encodeCbor(claimsToCbor(claims)));
}
