/**
 * The merchant bundle (docs/spec/voucher-format.md §8): what a platform hands a merchant
 * at registration, as clear JSON (development) or sealed with a passphrase
 * (JWE, PBES2-HS512+A256KW / A256GCM, cty gb-merchant-bundle+json).
 */
import { CompactEncrypt, compactDecrypt, type JWK } from 'jose';
import { issuerPublic, type IssuerPublic, type Merchant, type Platform } from './keys';

export const BUNDLE_CTY = 'gb-merchant-bundle+json';
export const BUNDLE_ALG = 'PBES2-HS512+A256KW';
export const BUNDLE_ENC = 'A256GCM';
/** PBES2 iteration count used unless told otherwise (tests pass a low count for speed). */
export const DEFAULT_P2C = 310_000;
/** The most a workstation accepts (twice the default; main/core/keystore/files.ts refuses above it): never seal above it. */
export const MAX_P2C = 2 * DEFAULT_P2C;

/** The bundle JSON of §8. */
export interface BundleJson {
  v: 1;
  merchant: { id: string; name: string };
  branch?: { id: string; name: string };
  /** Private JWKs, each with `kid`. */
  encryptionKeys: JWK[];
  /** Private JWKs, each with `kid`; only when the merchant has a signing key. */
  signingKeys?: JWK[];
  issuers: IssuerPublic[];
  server?: { url: string; deviceId: string; token: string };
}

/**
 * Build the bundle JSON for a merchant and the platforms it works with.
 * Platforms with the same `iss` (a key rotation) are listed once with all their keys.
 */
export function buildBundleJson(merchant: Merchant, platforms: Platform[]): BundleJson {
  const issuers: IssuerPublic[] = [];
  for (const platform of platforms) {
    const entry = issuerPublic(platform);
    const existing = issuers.find((i) => i.iss === entry.iss);
    if (!existing) issuers.push(entry);
    else {
      for (const key of entry.keys) {
        if (!existing.keys.some((k) => k.kid === key.kid)) existing.keys.push(key);
      }
    }
  }
  const bundle: BundleJson = {
    v: 1,
    merchant: { id: merchant.id, name: merchant.name },
    ...(merchant.branch ? { branch: { id: merchant.branch.id, name: merchant.branch.name } } : {}),
    encryptionKeys: [{ ...merchant.encryption.privateJwk, kid: merchant.encryption.kid }],
    ...(merchant.signing ? { signingKeys: [{ ...merchant.signing.privateJwk, kid: merchant.signing.kid }] } : {}),
    issuers,
    ...(merchant.server
      ? { server: { url: merchant.server.url, deviceId: merchant.server.deviceId, token: merchant.server.token } }
      : {}),
  };
  return bundle;
}

export interface SealOptions {
  /** PBES2 iteration count; default 310000. Tests may use a low count such as 1000. */
  p2c?: number;
}

/** Seal a bundle (object or JSON text) with a passphrase: a JWE compact serialization. */
export async function sealBundle(
  json: BundleJson | string,
  passphrase: string,
  opts: SealOptions = {},
): Promise<string> {
  if (passphrase.length === 0) throw new Error('the bundle passphrase is empty');
  const text = typeof json === 'string' ? json : JSON.stringify(json);
  const p2c = opts.p2c ?? DEFAULT_P2C;
  if (!Number.isInteger(p2c) || p2c < 1 || p2c > MAX_P2C) throw new Error(`invalid PBES2 iteration count: ${p2c} (1–${MAX_P2C}; workstations refuse more)`);
  return new CompactEncrypt(new TextEncoder().encode(text))
    .setProtectedHeader({ alg: BUNDLE_ALG, enc: BUNDLE_ENC, cty: BUNDLE_CTY })
    .setKeyManagementParameters({ p2c })
    .encrypt(new TextEncoder().encode(passphrase));
}

/**
 * Open a sealed bundle with its passphrase (for tests and tools; the workstation
 * has its own importer). Throws on a wrong passphrase or a damaged file.
 */
export async function openBundle(jwe: string, passphrase: string): Promise<BundleJson> {
  const { plaintext, protectedHeader } = await compactDecrypt(jwe.trim(), new TextEncoder().encode(passphrase), {
    keyManagementAlgorithms: [BUNDLE_ALG],
    contentEncryptionAlgorithms: [BUNDLE_ENC],
    // jose refuses p2c above 10000 unless told; our default is 310000.
    maxPBES2Count: MAX_P2C,
  });
  if (protectedHeader.cty !== BUNDLE_CTY) throw new Error(`not a merchant bundle (cty ${String(protectedHeader.cty)})`);
  return JSON.parse(new TextDecoder().decode(plaintext)) as BundleJson;
}
