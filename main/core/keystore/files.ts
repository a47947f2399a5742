import { compactDecrypt, type JWK } from 'jose';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { z } from 'zod';
import type { KeyView } from '../../../preload/contract';
import { UserError } from '../errors';
import { describeJwk, type KeyInfo, type KeyType } from './jwk';

/**
 * Reading what an admin imports: a merchant bundle (sealed JWE or clear
 * JSON), a PEM file (PKCS#8 private or SPKI public) or a JWK / JWK Set.
 * Pure: it only reads and checks, and says exactly what is wrong.
 */

export type Role = KeyView['role'];

export interface KeyCandidate {
  role: Role;
  kid: string;
  iss: string | null;
  jwk: JWK;
  info: KeyInfo;
}

export interface ImportPlan {
  merchant: { id: string; name: string } | null;
  branch: { id: string; name: string } | null;
  server: { url: string; deviceId: string; token: string } | null;
  issuers: { iss: string; name: string }[];
  keys: KeyCandidate[];
  warnings: string[];
  source: string;
}

export interface ImportRequest {
  fileName: string;
  content: string;
  bundlePassphrase?: string | undefined;
  role?: Role | undefined;
  kid?: string | undefined;
  iss?: string | undefined;
}

const BUNDLE_CTY = 'gb-merchant-bundle+json';
/**
 * The most PBES2 iterations a sealed bundle may ask for: twice the issuer's
 * default (server/issuer/bundle.ts, 310,000). Each iteration is work done
 * before the passphrase can be told wrong, so a hostile bundle asking for
 * millions would hold the workstation for seconds per attempt.
 */
export const MAX_BUNDLE_P2C = 620_000;
const str64 = z.string().min(1).max(64);
const jwkSchema = z.looseObject({ kty: z.string(), kid: str64 });
const bundleSchema = z.object({
  v: z.literal(1),
  merchant: z.object({ id: str64, name: z.string().max(200) }),
  branch: z.object({ id: str64, name: z.string().max(200) }).optional(),
  encryptionKeys: z.array(jwkSchema).min(1).max(32),
  signingKeys: z.array(jwkSchema).max(32).optional(),
  issuers: z
    .array(z.object({ iss: str64, name: z.string().max(200), keys: z.array(jwkSchema).min(1).max(32) }))
    .max(64),
  server: z.object({ url: z.string().url().max(500), deviceId: str64, token: z.string().min(1).max(4096) }).optional(),
});

const ALLOWED: Record<Role, KeyType[]> = {
  'merchant-encryption': ['X25519', 'P-256', 'RSA'],
  'merchant-signing': ['Ed25519', 'P-256', 'RSA'],
  issuer: ['Ed25519', 'P-256', 'RSA'],
};

const corrupt = (why: string) => new UserError('keys.corruptFile', `The file is damaged or not in the expected format (${why}). Nothing was imported.`);
const truncated = () => new UserError('keys.truncatedFile', 'The file is incomplete (cut off). Nothing was imported.');

function candidate(jwk: JWK, role: Role, kid: string, iss: string | null): KeyCandidate {
  const info = describeJwk(jwk);
  if (!ALLOWED[role].includes(info.type)) {
    throw new UserError('keys.unsupportedKey', `A ${info.type} key cannot be used as ${role}.`, { type: `${info.type} (${role})` });
  }
  if (role !== 'issuer' && !info.isPrivate) {
    throw new UserError('keys.needPrivateKey', `The merchant key ${kid} has no private part; the platform's bundle or a PKCS#8 file is needed.`, { kid });
  }
  if (role === 'issuer' && info.isPrivate) {
    // An issuer's private key has no business on a counter PC: keep only the public part.
    const pub: Record<string, unknown> = { ...jwk };
    for (const m of ['d', 'p', 'q', 'dp', 'dq', 'qi']) delete pub[m];
    return { role, kid, iss, jwk: pub as JWK, info: { ...info, isPrivate: false } };
  }
  return { role, kid, iss, jwk, info };
}

async function openSealedBundle(jwe: string, passphrase: string | undefined): Promise<unknown> {
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(jwe.split('.')[0]!, 'base64url').toString('utf8'));
  } catch {
    throw corrupt('header');
  }
  if (header.cty !== BUNDLE_CTY || header.alg !== 'PBES2-HS512+A256KW') throw corrupt('not a merchant bundle');
  const p2c = header.p2c;
  if (typeof p2c !== 'number' || !Number.isInteger(p2c) || p2c < 1 || p2c > MAX_BUNDLE_P2C) throw corrupt('PBES2 iteration count');
  if (!passphrase) throw new UserError('keys.needBundlePassphrase', 'This bundle is protected: enter the passphrase the platform gave you.');
  let plaintext: Uint8Array;
  try {
    ({ plaintext } = await compactDecrypt(jwe, new TextEncoder().encode(passphrase), {
      keyManagementAlgorithms: ['PBES2-HS512+A256KW'],
      contentEncryptionAlgorithms: ['A256GCM'],
      maxPBES2Count: MAX_BUNDLE_P2C,
    }));
  } catch (e) {
    const name = (e as { code?: string }).code;
    if (name === 'ERR_JWE_DECRYPTION_FAILED') {
      throw new UserError('keys.wrongPassphrase', 'Wrong bundle passphrase (or the file was altered). Nothing was imported.');
    }
    throw corrupt('encrypted content');
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    throw corrupt('bundle content');
  }
}

function planFromBundle(raw: unknown, warnings: string[], source: string): ImportPlan {
  const parsed = bundleSchema.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') || 'bundle';
    throw corrupt(`bundle field ${where}`);
  }
  const b = parsed.data;
  const keys: KeyCandidate[] = [];
  for (const k of b.encryptionKeys) keys.push(candidate(k as JWK, 'merchant-encryption', k.kid, null));
  for (const k of b.signingKeys ?? []) keys.push(candidate(k as JWK, 'merchant-signing', k.kid, null));
  for (const i of b.issuers) for (const k of i.keys) keys.push(candidate(k as JWK, 'issuer', k.kid, i.iss));
  if (b.issuers.some((i) => i.keys.some((k) => typeof k.d === 'string'))) warnings.push('issuerPrivateDropped');
  return {
    merchant: b.merchant,
    branch: b.branch ?? null,
    server: b.server ?? null,
    issuers: b.issuers.map((i) => ({ iss: i.iss, name: i.name })),
    keys,
    warnings,
    source,
  };
}

function singleKeyPlan(jwks: JWK[], req: ImportRequest, source: string): ImportPlan {
  const keys = jwks.map((jwk) => {
    const info = describeJwk(jwk);
    const role: Role | undefined =
      req.role ?? (info.type === 'X25519' ? 'merchant-encryption' : info.type === 'Ed25519' && !info.isPrivate ? 'issuer' : undefined);
    if (!role) {
      throw new UserError('keys.needRole', `Say what this ${info.type} key is for: merchant encryption, merchant signing, or an issuer's key.`, {
        type: info.type,
      });
    }
    const kid = req.kid ?? (typeof jwk.kid === 'string' && jwk.kid ? jwk.kid : undefined);
    if (!kid) throw new UserError('keys.needKid', 'This key has no key id (kid): enter the one the platform uses for it.');
    if (role === 'issuer' && !req.iss) {
      throw new UserError('keys.needIssuer', "Enter the issuer id (iss) this platform key belongs to.");
    }
    return candidate(jwk, role, kid, role === 'issuer' ? req.iss! : null);
  });
  const issuers = req.iss && keys.some((k) => k.role === 'issuer') ? [{ iss: req.iss, name: req.iss }] : [];
  return { merchant: null, branch: null, server: null, issuers, keys, warnings: [], source };
}

function pemToJwk(pem: string): JWK {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)(-----END \1-----|$)/.exec(pem);
  if (!m) throw corrupt('PEM');
  const label = m[1]!;
  if (!m[3]) throw truncated();
  if (label !== 'PRIVATE KEY' && label !== 'PUBLIC KEY') {
    throw new UserError(
      'keys.unsupportedKey',
      `PEM "${label}" is not supported: use PKCS#8 ("PRIVATE KEY") for a private key or SPKI ("PUBLIC KEY") for a public key.`,
      { type: `PEM ${label}` },
    );
  }
  let key;
  try {
    key = label === 'PRIVATE KEY' ? createPrivateKey({ key: m[0], format: 'pem' }) : createPublicKey({ key: m[0], format: 'pem' });
  } catch {
    throw corrupt('PEM body');
  }
  try {
    return key.export({ format: 'jwk' }) as JWK;
  } catch {
    const t = key.asymmetricKeyType ?? 'unknown';
    throw new UserError('keys.unsupportedKey', `Unsupported key type: ${t}.`, { type: t });
  }
}

/** Reads an import file into a plan, or throws a UserError that says what is wrong. */
export async function readKeyFile(req: ImportRequest): Promise<ImportPlan> {
  const text = req.content.replace(/^\uFEFF/, '').trim();
  const source = req.fileName ? `file:${req.fileName.split(/[\\/]/).pop()}` : 'file';
  if (!text) throw new UserError('keys.notAKeyFile', 'The file is empty.');

  if (text.startsWith('-----BEGIN')) {
    return singleKeyPlan([pemToJwk(text)], req, source.replace('file:', 'pem:'));
  }

  if (text.startsWith('{') || text.startsWith('[')) {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      if (/end of (JSON )?input|Unterminated/i.test((e as Error).message)) throw truncated();
      throw corrupt('JSON');
    }
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      const o = raw as Record<string, unknown>;
      if ('merchant' in o && 'encryptionKeys' in o) return planFromBundle(raw, ['clearBundle'], source.replace('file:', 'bundle:'));
      if (typeof o.kty === 'string') return singleKeyPlan([o as JWK], req, source.replace('file:', 'jwk:'));
      if (Array.isArray(o.keys) && o.keys.length > 0 && o.keys.every((k) => k && typeof k === 'object')) {
        return singleKeyPlan(o.keys as JWK[], req, source.replace('file:', 'jwks:'));
      }
    }
    throw new UserError('keys.notAKeyFile', 'This JSON file is not a merchant bundle, a JWK or a JWK Set.');
  }

  const parts = text.split('.');
  if (parts.length > 1 && parts.every((p) => /^[A-Za-z0-9_-]*$/.test(p))) {
    if (parts.length < 5) throw truncated();
    if (parts.length > 5) throw corrupt('too many parts');
    return planFromBundle(await openSealedBundle(text, req.bundlePassphrase), [], source.replace('file:', 'bundle:'));
  }
  throw new UserError('keys.notAKeyFile', 'This file is not a merchant bundle, a PEM key or a JWK.');
}
