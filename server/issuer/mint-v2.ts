/**
 * Minting GBV2 vouchers (docs/spec/voucher-format-v2.md): the claims as a CBOR
 * map with their integer keys, a COSE_Sign1 by the issuer (EdDSA or ES256),
 * sealed to the merchant with HPKE base mode (X25519 or P-256, HKDF-SHA256,
 * AES-256-GCM), the envelope `[kid, enc, ct]` in Base45 after `GBV2:`.
 *
 * The encoding, signing and sealing are the core's (main/core/vouchers/gbv2/seal.ts,
 * one definition for the issuer tool and the workstation's own vouchers); this
 * file imports the keys once and checks they can make GBV2. As with GBV1, a test
 * tool: a value that has no GBV2 form is written as it is.
 *
 * No side effects on import.
 */
import { createPrivateKey, createPublicKey, KeyObject, webcrypto, type JsonWebKey } from 'node:crypto';
import { claimsToCbor, createSealer, encodeCbor, GBV2_PREFIX } from '../../main/core/vouchers/gbv2/seal';
import { encKeyTypeOf, publicJwkOf, type EncKeyType, type ImportedKey } from './keys';
import type { Claims, MerchantKeyInput, SignerInput } from './mint';

export { claimsToCbor, encodeCbor, GBV2_PREFIX };

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

function asKeyObject(key: ImportedKey): KeyObject {
  return key instanceof KeyObject ? key : KeyObject.from(key as webcrypto.CryptoKey);
}

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
  const seal = createSealer({ signAlg, signKid, signingKey, merchantKid, kem: merchantKeyType, sealKey });

  async function mint(claims: Claims, options: MintV2Options = {}): Promise<string> {
    const opts = { ...defaults, ...options };
    const text = seal(opts.rawPayload ?? encodeCbor(claimsToCbor(claims)));
    return opts.prefix === false ? text : GBV2_PREFIX + text;
  }

  return { mint, merchantKid, merchantKeyType };
}
