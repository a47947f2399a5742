/**
 * Minting GBV2 vouchers (docs/spec/voucher-format-v2.md): the claims as a CBOR
 * map with their integer keys, a COSE_Sign1 by the issuer (EdDSA or ES256),
 * sealed to the merchant with HPKE base mode (X25519 or P-256, HKDF-SHA256,
 * AES-256-GCM), the envelope `[kid, enc, ct]` in Base45 after `GBV2:`.
 *
 * The claims come in their GBV1 form (what `claimsFor` builds): `knd` and
 * `shr` as words, `pin` as base64url. They are written under the same key table
 * the workstation reads them with (main/core/vouchers/gbv2/claims.ts). As with
 * GBV1, a test tool: a value that has no GBV2 form (a `knd` of "bogus", a `qty`
 * of "3") is written as it is, and the workstation judges it.
 *
 * CBOR encoding is cborg's, with RFC 8949's deterministic rules (shortest
 * integers and lengths, map keys in bytewise order); the primitives are
 * node:crypto's, through the core's COSE and HPKE helpers.
 *
 * No side effects on import.
 */
import { createPrivateKey, createPublicKey, KeyObject, webcrypto, type JsonWebKey } from 'node:crypto';
import { encode, rfc8949EncodeOptions } from 'cborg';
import { encodeBase45 } from '../../main/core/vouchers/gbv2/base45';
import { CLAIMS, KINDS, SHARING } from '../../main/core/vouchers/gbv2/claims';
import { ALG_EDDSA, ALG_ES256, sigStructure, signSignature } from '../../main/core/vouchers/gbv2/cose-sign1';
import { sealBase, type Kem } from '../../main/core/vouchers/gbv2/hpke';
import { encKeyTypeOf, publicJwkOf, type EncKeyType, type ImportedKey } from './keys';
import type { Claims, MerchantKeyInput, SignerInput } from './mint';

export const GBV2_PREFIX = 'GBV2:';

export interface MintV2Options {
  /** Prefix the Base45 text with `GBV2:`; default true. */
  prefix?: boolean;
  /** Sign these exact bytes as the payload instead of the CBOR of the claims (for payloads that are not claims). */
  rawPayload?: Uint8Array;
}

export interface MinterV2 {
  /** Mint one voucher: the `GBV2:` text. */
  mint(claims: Claims, opts?: MintV2Options): Promise<string>;
  /** The merchant key's kid and type the minter seals to. */
  readonly merchantKid: string;
  readonly merchantKeyType: EncKeyType;
}

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
export function claimsToCbor(claims: Claims): Map<number | string, unknown> {
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

function asKeyObject(key: ImportedKey): KeyObject {
  return key instanceof KeyObject ? key : KeyObject.from(key as webcrypto.CryptoKey);
}

const COSE_ALG = { EdDSA: ALG_EDDSA, ES256: ALG_ES256 } as const;

/**
 * Import the issuer's and the merchant's keys once and return a fast `mint`.
 * Throws when a key cannot make a GBV2 voucher: an issuer key other than
 * Ed25519 (EdDSA) or P-256 (ES256), or a merchant key other than X25519 or P-256.
 */
export function createMinterV2(signer: SignerInput, merchantEncKey: MerchantKeyInput, defaults: MintV2Options = {}): MinterV2 {
  const { alg: signAlg, kid: signKid } = signer.signing;
  if (signAlg !== 'EdDSA' && signAlg !== 'ES256') {
    throw new Error(`a GBV2 voucher is signed with EdDSA or ES256, not ${signAlg}: mint GBV1 with this key (--format gbv1)`);
  }
  const alg = COSE_ALG[signAlg];
  const signingKey =
    'privateKey' in signer.signing
      ? asKeyObject(signer.signing.privateKey)
      : createPrivateKey({ key: signer.signing.privateJwk as JsonWebKey, format: 'jwk' });

  let merchantKid: string;
  let merchantKeyType: EncKeyType | null;
  let sealKey: KeyObject;
  if (typeof (merchantEncKey as { kty?: unknown }).kty === 'string') {
    const jwk = merchantEncKey as Parameters<typeof publicJwkOf>[0];
    if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new Error('the merchant encryption key has no kid');
    merchantKid = jwk.kid;
    merchantKeyType = encKeyTypeOf(jwk);
    sealKey = createPublicKey({ key: publicJwkOf(jwk) as JsonWebKey, format: 'jwk' });
  } else {
    const input = merchantEncKey as { kid: string; key: ImportedKey; type?: EncKeyType };
    merchantKid = input.kid;
    const key = asKeyObject(input.key);
    sealKey = key.type === 'private' ? createPublicKey(key) : key;
    merchantKeyType =
      input.type ??
      (sealKey.asymmetricKeyType === 'x25519'
        ? 'X25519'
        : sealKey.asymmetricKeyType === 'ec' && sealKey.asymmetricKeyDetails?.namedCurve === 'prime256v1'
          ? 'P-256'
          : null);
  }
  if (merchantKeyType !== 'X25519' && merchantKeyType !== 'P-256') {
    throw new Error(`a GBV2 voucher is sealed to an X25519 or P-256 merchant key, not ${merchantKeyType ?? 'this one'}: mint GBV1 for it (--format gbv1)`);
  }
  const suite = { kem: merchantKeyType satisfies Kem, aead: 'AES-256-GCM' as const };
  const info = Buffer.from(GBV2_PREFIX + merchantKid, 'utf8');
  const protectedBytes = encodeCbor(new Map([[1, alg]]));
  const unprotected = new Map([[4, Buffer.from(signKid, 'utf8')]]);

  async function mint(claims: Claims, options: MintV2Options = {}): Promise<string> {
    const opts = { ...defaults, ...options };
    const payload = opts.rawPayload ?? encodeCbor(claimsToCbor(claims));
    const signature = signSignature(alg, signingKey, sigStructure(protectedBytes, payload));
    const sign1 = encodeCbor([protectedBytes, unprotected, payload, signature]);
    const { enc, ct } = sealBase(suite, sealKey, info, new Uint8Array(), sign1);
    const text = encodeBase45(encodeCbor([merchantKid, enc, ct]));
    return opts.prefix === false ? text : GBV2_PREFIX + text;
  }

  return { mint, merchantKid, merchantKeyType };
}
