/**
 * Keys of the parties in the GBV1 format (docs/spec/voucher-format.md §7): a platform's
 * signing key, a merchant's encryption key and, optionally, the merchant's own
 * signing key. All generation and conversion goes through jose.
 *
 * This module has no side effects: it is imported by the issuer CLI, by tests,
 * by benchmarks and by the demo.
 */
import {
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
  type KeyObject,
} from 'jose';
import { z } from 'zod';

/** Issuer signing algorithms (§3). */
export const SIGNING_ALGS = ['EdDSA', 'ES256', 'RS256', 'PS256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

/** Merchant encryption key types (§2, §7). */
export const ENC_KEY_TYPES = ['X25519', 'P-256', 'RSA'] as const;
export type EncKeyType = (typeof ENC_KEY_TYPES)[number];

/** Outer (JWE) key management algorithms (§2). */
export const KEY_MANAGEMENT_ALGS = ['ECDH-ES', 'ECDH-ES+A256KW', 'RSA-OAEP-256'] as const;
export type KeyManagementAlg = (typeof KEY_MANAGEMENT_ALGS)[number];

/** Outer (JWE) content encryption algorithms (§2). */
export const CONTENT_ENCS = ['A256GCM', 'A128GCM'] as const;
export type ContentEnc = (typeof CONTENT_ENCS)[number];

/** A key object jose accepts directly (already imported). */
export type ImportedKey = CryptoKey | KeyObject;

/** A signing key pair: a platform's, or a merchant's own (always EdDSA). */
export interface SigningKey {
  alg: SigningAlg;
  kid: string;
  /** Private JWK, with `kid`. */
  privateJwk: JWK;
  /** Public JWK, with `kid`. */
  publicJwk: JWK;
}

/** A merchant's encryption key pair. */
export interface EncryptionKey {
  kid: string;
  /** X25519, P-256 or RSA; the JWKs carry the matching kty/crv. */
  type: EncKeyType;
  /** Private JWK, with `kid`. */
  privateJwk: JWK;
  /** Public JWK, with `kid`. */
  publicJwk: JWK;
}

/** A group-buy platform: the issuer of vouchers. */
export interface Platform {
  /** The issuer id, the `iss` claim. */
  iss: string;
  name: string;
  signing: SigningKey;
}

/** A merchant: everything the platform makes for it (its private material included). */
export interface Merchant {
  id: string;
  name: string;
  branch?: { id: string; name: string };
  encryption: EncryptionKey;
  /** The merchant's own signing key, to issue its own vouchers as `merchant:<id>`. */
  signing?: SigningKey;
  server?: { url: string; deviceId: string; token: string };
}

/** The public part of a platform, as it appears in a bundle's `issuers` (§8). */
export interface IssuerPublic {
  iss: string;
  name: string;
  keys: JWK[];
}

function withKid(jwk: JWK, kid: string): JWK {
  // kty, crv first, then kid, then the key material, as the spec's example.
  const { kty, crv, ...rest } = jwk;
  const out: JWK = { kty };
  if (crv !== undefined) out.crv = crv;
  out.kid = kid;
  return { ...out, ...rest };
}

/** The jose algorithm to generate a key pair for an encryption key type. */
function encGenerateParams(type: EncKeyType): { alg: string; crv?: string } {
  switch (type) {
    case 'X25519':
      return { alg: 'ECDH-ES', crv: 'X25519' };
    case 'P-256':
      return { alg: 'ECDH-ES', crv: 'P-256' };
    case 'RSA':
      return { alg: 'RSA-OAEP-256' };
  }
}

/** Generate an issuer signing key: Ed25519 for EdDSA, P-256 for ES256, RSA 2048 for RS256/PS256. */
export async function generateIssuerKey(opts: { alg: SigningAlg; kid: string }): Promise<SigningKey> {
  const { alg, kid } = opts;
  if (!SIGNING_ALGS.includes(alg)) throw new Error(`unsupported signing algorithm: ${String(alg)}`);
  const options =
    alg === 'EdDSA'
      ? { crv: 'Ed25519', extractable: true }
      : alg === 'ES256'
        ? { extractable: true }
        : { modulusLength: 2048, extractable: true };
  const { privateKey, publicKey } = await generateKeyPair(alg, options);
  return {
    alg,
    kid,
    privateJwk: withKid(await exportJWK(privateKey), kid),
    publicJwk: withKid(await exportJWK(publicKey), kid),
  };
}

/** Generate a merchant's encryption key (and an Ed25519 signing key when `sigKid` is given). */
export async function generateMerchantKeys(opts: {
  enc: EncKeyType;
  kid: string;
  sigKid?: string;
}): Promise<{ encryption: EncryptionKey; signing?: SigningKey }> {
  const { enc, kid, sigKid } = opts;
  if (!ENC_KEY_TYPES.includes(enc)) throw new Error(`unsupported encryption key type: ${String(enc)}`);
  const { alg, crv } = encGenerateParams(enc);
  const { privateKey, publicKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(crv ? { crv } : { modulusLength: 2048 }),
  });
  const encryption: EncryptionKey = {
    kid,
    type: enc,
    privateJwk: withKid(await exportJWK(privateKey), kid),
    publicJwk: withKid(await exportJWK(publicKey), kid),
  };
  if (sigKid === undefined) return { encryption };
  return { encryption, signing: await generateIssuerKey({ alg: 'EdDSA', kid: sigKid }) };
}

/** The public JWK of a key pair (drops every private member), keeping `kid`. */
export function publicJwkOf(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, ...pub } = jwk as JWK & { oth?: unknown };
  return pub;
}

/** The encryption key type of a JWK, or null when it is not one the spec allows. */
export function encKeyTypeOf(jwk: JWK): EncKeyType | null {
  if (jwk.kty === 'OKP' && jwk.crv === 'X25519') return 'X25519';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'P-256';
  if (jwk.kty === 'RSA') return 'RSA';
  return null;
}

/** The default outer algorithm for an encryption key type: ECDH-ES for X25519/P-256, RSA-OAEP-256 for RSA. */
export function defaultKeyManagementAlg(type: EncKeyType): KeyManagementAlg {
  return type === 'RSA' ? 'RSA-OAEP-256' : 'ECDH-ES';
}

/** RFC 7638 thumbprint (SHA-256, base64url) of a JWK's public part; show its first 16 characters. */
export async function fingerprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(publicJwkOf(jwk), 'sha256');
}

/** The jose algorithm under which a JWK of an encryption key is imported. */
export function importAlgForEncKey(type: EncKeyType): string {
  return type === 'RSA' ? 'RSA-OAEP-256' : 'ECDH-ES';
}

/**
 * PEM exports of a key pair given as JWK: PKCS#8 for the private key, SPKI for
 * the public key. `alg` is the jose algorithm the key is used with (a signing
 * alg, or 'ECDH-ES' / 'RSA-OAEP-256' for encryption keys).
 */
export async function pemOf(privateJwk: JWK, alg: string): Promise<{ privatePem: string; publicPem: string }> {
  const priv = await importJWK(privateJwk, alg, { extractable: true });
  const pub = await importJWK(publicJwkOf(privateJwk), alg, { extractable: true });
  if (priv instanceof Uint8Array || pub instanceof Uint8Array) throw new Error('not an asymmetric key');
  return { privatePem: await exportPKCS8(priv), publicPem: await exportSPKI(pub) };
}

/** The issuer id a merchant signs its own vouchers with (§8). */
export function merchantIssuerId(merchantId: string): string {
  return `merchant:${merchantId}`;
}

/** A merchant that has a signing key, seen as a platform, to mint its own vouchers (§8). */
export function merchantAsPlatform(merchant: Merchant): Platform {
  if (!merchant.signing) throw new Error(`merchant ${merchant.id} has no signing key`);
  return { iss: merchantIssuerId(merchant.id), name: merchant.name, signing: merchant.signing };
}

/** The public part of a platform, as a bundle lists it in `issuers`. */
export function issuerPublic(platform: Platform): IssuerPublic {
  return { iss: platform.iss, name: platform.name, keys: [{ ...publicJwkOf(platform.signing.publicJwk), kid: platform.signing.kid }] };
}

// ------------------------------------------------------------------ files

const jwkSchema = z.looseObject({ kty: z.string().min(1) });
const signingKeySchema = z.object({
  alg: z.enum(SIGNING_ALGS),
  kid: z.string().min(1),
  privateJwk: jwkSchema,
  publicJwk: jwkSchema,
});
const platformSchema = z.object({ iss: z.string().min(1), name: z.string(), signing: signingKeySchema });
const merchantSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  branch: z.object({ id: z.string().min(1), name: z.string() }).optional(),
  encryption: z.object({
    kid: z.string().min(1),
    type: z.enum(ENC_KEY_TYPES),
    privateJwk: jwkSchema,
    publicJwk: jwkSchema,
  }),
  signing: signingKeySchema.optional(),
  server: z.object({ url: z.string(), deviceId: z.string(), token: z.string() }).optional(),
});

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Check the JSON of a platform file (`platform.json`) and return it typed. */
export function parsePlatform(json: unknown): Platform {
  const r = platformSchema.safeParse(json);
  if (!r.success) throw new Error(`not a platform file: ${describeIssues(r.error)}`);
  return r.data as Platform;
}

/** Check the JSON of a merchant file (`merchant.json`) and return it typed. */
export function parseMerchant(json: unknown): Merchant {
  const r = merchantSchema.safeParse(json);
  if (!r.success) throw new Error(`not a merchant file: ${describeIssues(r.error)}`);
  return r.data as Merchant;
}
