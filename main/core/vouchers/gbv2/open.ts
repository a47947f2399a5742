import { claimsSchema, type Claims } from '../claims';
import type { Keyring, MerchantKeyType, OpenResult } from '../codec';
import { decodeBase45 } from './base45';
import { decodeStrict } from './cbor';
import { claimsFromCbor } from './claims';
import { ALG_EDDSA, ALG_ES256, parseSign1, sigStructure, verifySignature } from './cose-sign1';
import { ENC_LENGTH, openBase, type Kem } from './hpke';

/**
 * The GBV2 codec (docs/spec/voucher-format-v2.md §1-§5): from scanned text to
 * verified claims under their GBV1 names, or the verdict that says why not,
 * with the same result and verdict codes as GBV1's openVoucher. Synchronous:
 * every step is node:crypto or plain code. No database.
 */

export const PREFIX = 'GBV2:';
const MAX_TEXT = 4096;
const AEAD = 'AES-256-GCM';

/** The suite a merchant key of this type opens (§2); none for RSA. */
const KEM_OF: Record<MerchantKeyType, Kem | null> = { X25519: 'X25519', 'P-256': 'P-256', RSA: null };

/** The algorithm an issuer key of this type may sign with (§3). */
const ALG_OF = { Ed25519: ALG_EDDSA, 'P-256': ALG_ES256, RSA: null } as const;

type Failure = Exclude<OpenResult['verdict'], 'VALID'>;
const fail = (verdict: Failure): OpenResult => ({ verdict });

/** True when the text is meant as a GBV2 voucher (after the whitespace a scanner adds). */
export function isGbv2(text: string): boolean {
  return text.trimStart().startsWith(PREFIX);
}

/** Step 1: prefix, size, Base45, and the envelope `[kid, enc, ct]`; null when MALFORMED. */
export function parseEnvelope(text: string): { kid: string; enc: Uint8Array; ct: Uint8Array } | null {
  if (text.length > MAX_TEXT + 64) return null; // nothing to trim that far
  const trimmed = text.trim();
  if (trimmed.length > MAX_TEXT || !trimmed.startsWith(PREFIX)) return null;
  const bytes = decodeBase45(trimmed.slice(PREFIX.length));
  if (!bytes) return null;
  let envelope: unknown;
  try {
    envelope = decodeStrict(bytes);
  } catch {
    return null;
  }
  if (!Array.isArray(envelope) || envelope.length !== 3) return null;
  const [kid, enc, ct] = envelope as unknown[];
  if (typeof kid !== 'string' || !(enc instanceof Uint8Array) || !(ct instanceof Uint8Array)) return null;
  const chars = [...kid].length;
  if (chars < 1 || chars > 64) return null;
  return { kid, enc, ct };
}

/**
 * True when the text is the start of a GBV2 voucher cut short (a scan that
 * stopped early): the prefix, then Base45 whose bytes are the beginning of a
 * CBOR item that never ends. The counter then says "scan again", not "not a voucher".
 */
export function isCutShort(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.length > MAX_TEXT || !trimmed.startsWith(PREFIX)) return false;
  const body = trimmed.slice(PREFIX.length);
  if (!/^[0-9A-Z $%*+\-./:]*$/.test(body)) return false;
  // A cut can split a group of three characters: only whole groups are read.
  const bytes = decodeBase45(body.slice(0, body.length - (body.length % 3)));
  if (!bytes) return false;
  try {
    decodeStrict(bytes);
    return false;
  } catch (e) {
    return /not enough|did not find any content/.test(e instanceof Error ? e.message : '');
  }
}

export function openGbv2(text: string, keyring: Keyring): OpenResult {
  // 1. Parse.
  const envelope = parseEnvelope(text);
  if (!envelope) return isCutShort(text) ? { verdict: 'MALFORMED', detail: { reason: 'incompleteScan' } } : fail('MALFORMED');

  // 2. Open the HPKE seal with the merchant key named by kid, and with no other.
  const mk = keyring.merchantKey(envelope.kid);
  if (mk === null) return fail('UNKNOWN_MERCHANT_KEY');
  if (mk === 'locked') return fail('KEYSTORE_LOCKED');
  const kem = KEM_OF[mk.type];
  if (!kem || envelope.enc.length !== ENC_LENGTH[kem]) return fail('DECRYPT_FAILED');
  const info = Buffer.from(PREFIX + envelope.kid, 'utf8');
  const inner = openBase({ kem, aead: AEAD }, mk.key, envelope.enc, info, new Uint8Array(), envelope.ct);
  if (!inner) return fail('DECRYPT_FAILED');

  // 3. The issuer's COSE_Sign1, then the claims.
  const sign1 = parseSign1(inner);
  if (!sign1) return fail('MALFORMED');
  const ik = keyring.issuerKey(sign1.kid);
  if (!ik) return fail('UNKNOWN_ISSUER');
  const alg = ALG_OF[ik.type];
  if (alg === null || sign1.alg !== alg) return fail('BAD_SIGNATURE');
  if (!verifySignature(alg, ik.key, sigStructure(sign1.protectedBytes, sign1.payload), sign1.signature)) return fail('BAD_SIGNATURE');
  let payload: unknown;
  try {
    payload = decodeStrict(sign1.payload);
  } catch {
    return fail('MALFORMED');
  }
  // A signed `iss` that names another issuer is a signature problem, whatever the rest holds.
  const iss = payload instanceof Map ? (payload as Map<unknown, unknown>).get(1) : undefined;
  if (typeof iss === 'string' && iss !== ik.iss) return fail('BAD_SIGNATURE');
  const raw = claimsFromCbor(payload);
  if (!raw || !claimsSchema.safeParse(raw).success) return fail('MALFORMED');
  return { verdict: 'VALID', claims: raw as Claims };
}
