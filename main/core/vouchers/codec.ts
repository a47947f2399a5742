import { compactDecrypt, compactVerify } from 'jose';
import type { KeyObject } from 'node:crypto';
import type { Verdict } from '../../../preload/contract';
import { claimsSchema, type Claims } from './claims';
import { isGbv2, openGbv2 } from './gbv2/open';

/**
 * The GBV1 codec (docs/spec/voucher-format.md §1-§4 and steps 1-3 of §6): from scanned
 * text to verified claims, or the verdict that says why not. No database.
 */

export const MAX_TEXT = 4096;
const PREFIX = 'GBV1:';
const JWE_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export type MerchantKeyType = 'X25519' | 'P-256' | 'RSA';
export type IssuerKeyType = 'Ed25519' | 'P-256' | 'RSA';

/** Outer algorithms accepted per merchant key type (§2). */
const JWE_ALGS: Record<MerchantKeyType, readonly string[]> = {
  X25519: ['ECDH-ES', 'ECDH-ES+A256KW'],
  'P-256': ['ECDH-ES', 'ECDH-ES+A256KW'],
  RSA: ['RSA-OAEP-256'],
};
const JWE_ENCS = ['A256GCM', 'A128GCM'];

/** Inner algorithms accepted per issuer key type (§3). */
const JWS_ALGS: Record<IssuerKeyType, readonly string[]> = {
  Ed25519: ['EdDSA'],
  'P-256': ['ES256'],
  RSA: ['RS256', 'PS256'],
};
const ALL_JWS_ALGS = new Set(Object.values(JWS_ALGS).flat());

/** What the codec needs from the key store: keys already turned into key objects. */
export interface Keyring {
  /** The merchant encryption key with this kid, 'locked' when the store is locked, or null. */
  merchantKey(kid: string): { type: MerchantKeyType; key: KeyObject } | 'locked' | null;
  issuerKey(kid: string): { type: IssuerKeyType; key: KeyObject; iss: string } | null;
}

export type OpenResult =
  | { verdict: 'VALID'; claims: Claims }
  /** `detail` says why a text is not a voucher when it can: too long, or a real voucher's scan cut short. */
  | { verdict: Exclude<Verdict, 'VALID'>; claims?: undefined; detail?: { reason: 'incompleteScan' | 'tooLong' } };

function fail(verdict: Exclude<Verdict, 'VALID'>): OpenResult {
  return { verdict };
}

function decodeJsonPart(part: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Step 1: the prefix, size and shape. Returns the bare JWE or null. */
export function parseVoucherText(text: string): { jwe: string; header: Record<string, unknown> } | null {
  if (text.length > MAX_TEXT + 64) return null;
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_TEXT) return null;
  const jwe = trimmed.startsWith(PREFIX) ? trimmed.slice(PREFIX.length) : trimmed;
  if (!JWE_COMPACT.test(jwe)) return null;
  const header = decodeJsonPart(jwe.slice(0, jwe.indexOf('.')));
  if (!header) return null;
  return { jwe, header };
}

const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** The inner JWS `typ`, when present, is `gbv+jwt` (media types compare without case; `application/` may be left out: RFC 7515 §4.1.9). */
const isVoucherType = (typ: unknown): boolean => typeof typ === 'string' && typ.toLowerCase().replace(/^application\//, '') === 'gbv+jwt';

/** Far longer than any voucher: whatever it is, it is not one (a paste of something else). */
function isTooLong(text: string): boolean {
  return text.length > MAX_TEXT + 64 || text.trim().length > MAX_TEXT;
}

/**
 * True when the text is the start of a GBV1 voucher cut short (a scan that
 * stopped early): the prefix, then base64url parts of a JWE whose header opens
 * like JSON, with parts missing or the 16-byte AES-GCM tag shorter than it is.
 */
export function isCutShort(text: string): boolean {
  const trimmed = text.trim();
  if (isTooLong(text) || !trimmed.startsWith(PREFIX)) return false;
  const parts = trimmed.slice(PREFIX.length).split('.');
  if (parts.length > 5 || !parts.every((p) => /^[A-Za-z0-9_-]*$/.test(p))) return false;
  const head = parts[0]!;
  const opening = Buffer.from(head.slice(0, head.length - (head.length % 4)), 'base64url').toString('utf8');
  if (opening && !opening.startsWith('{')) return false;
  if (parts.length < 5) return parts.length === 1 || decodeJsonPart(head) !== null;
  return Buffer.from(parts[4]!, 'base64url').length < 16;
}


export async function openVoucher(text: string, keyring: Keyring): Promise<OpenResult> {
  if (isTooLong(text)) return { verdict: 'MALFORMED', detail: { reason: 'tooLong' } };
  // GBV2 (docs/spec/voucher-format-v2.md) is chosen by its prefix; everything else is GBV1.
  if (isGbv2(text)) return openGbv2(text, keyring);
  const opened = await openGbv1(text, keyring);
  if ((opened.verdict === 'MALFORMED' || opened.verdict === 'DECRYPT_FAILED') && isCutShort(text)) return { verdict: opened.verdict, detail: { reason: 'incompleteScan' } };
  return opened;
}

async function openGbv1(text: string, keyring: Keyring): Promise<OpenResult> {
  // 1. Parse.
  const parsed = parseVoucherText(text);
  if (!parsed) return fail('MALFORMED');
  const { jwe, header } = parsed;
  if (!isStr(header.alg) || !isStr(header.enc) || !isStr(header.kid) || header.cty !== 'JWT') return fail('MALFORMED');
  if ('zip' in header) return fail('MALFORMED');

  // 2. Decrypt with the merchant key named by kid, and only with an algorithm fit for it.
  const mk = keyring.merchantKey(header.kid);
  if (mk === null) return fail('UNKNOWN_MERCHANT_KEY');
  if (mk === 'locked') return fail('KEYSTORE_LOCKED');
  if (!JWE_ALGS[mk.type].includes(header.alg) || !JWE_ENCS.includes(header.enc)) return fail('DECRYPT_FAILED');
  let inner: string;
  try {
    const { plaintext } = await compactDecrypt(jwe, mk.key, {
      keyManagementAlgorithms: [header.alg],
      contentEncryptionAlgorithms: JWE_ENCS,
    });
    inner = new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
  } catch {
    return fail('DECRYPT_FAILED');
  }

  // 3. Verify the issuer's signature, then the claims.
  if (!JWS_COMPACT.test(inner)) return fail('MALFORMED');
  const jwsHeader = decodeJsonPart(inner.slice(0, inner.indexOf('.')));
  if (!jwsHeader) return fail('MALFORMED');
  if ('typ' in jwsHeader && !isVoucherType(jwsHeader.typ)) return fail('MALFORMED');
  const alg = jwsHeader.alg;
  if (!isStr(alg) || !ALL_JWS_ALGS.has(alg)) return fail('BAD_SIGNATURE');
  if (!isStr(jwsHeader.kid)) return fail('UNKNOWN_ISSUER');
  const ik = keyring.issuerKey(jwsHeader.kid);
  if (!ik) return fail('UNKNOWN_ISSUER');
  if (!JWS_ALGS[ik.type].includes(alg)) return fail('BAD_SIGNATURE');
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(inner, ik.key, { algorithms: [alg] }));
  } catch {
    return fail('BAD_SIGNATURE');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    return fail('MALFORMED');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail('MALFORMED');
  if ((raw as Record<string, unknown>).iss !== ik.iss) return fail('BAD_SIGNATURE');
  const claims = claimsSchema.safeParse(raw);
  if (!claims.success) return fail('MALFORMED');
  return { verdict: 'VALID', claims: raw as Claims };
}
