/**
 * GBV1 and GBV2 voucher text through openVoucher, the entry every scan takes,
 * with a keyring made from the conformance vectors' keys (no workstation).
 *
 * Refusal: any verdict other than VALID. Crash: anything openVoucher throws.
 * False accept: VALID with claims that are not exactly the claims of a voucher
 * the issuer signed among the seeds. The outer layer (JWE, HPKE) and the inner
 * signature must make any change of what the voucher says fail; a change they
 * do not cover (whitespace a scanner adds, the optional GBV1 prefix) may still
 * open, but only to the same claims. "Signed among the seeds": the seeds that
 * open VALID, and the genuine vouchers inside the vectors that are broken on
 * purpose around a signed voucher (a lowercase prefix or letter, a line break
 * inside, a character or a byte too many), found here by repairing them: a mutation that undoes the breakage
 * (the full run found such mutants) rightly opens them.
 *
 * GBV2 inputs are mutated at two levels: as text (Base45 alphabet, prefix), and
 * as the CBOR envelope under the Base45 (the seeds hold both: an input that does
 * not start with `GBV2:` is CBOR and is Base45-encoded before it is opened), so
 * the mutations reach the CBOR decoder and not only the alphabet check.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { Keyring, IssuerKeyType, MerchantKeyType } from '../../../main/core/vouchers/codec';
import { decodeBase45, encodeBase45 } from '../../../main/core/vouchers/gbv2/base45';
import { issuerKeyType, keyObjectFromJwk, merchantKeyType } from '../../../main/core/keystore/jwk';
import { openVoucher, readKeyFile } from '../parsers';
import type { Target } from '../harness';
import { DICT } from '../mutate';
import { FIXTURES } from './fixtures';

/** A keyring holding a vectors folder's keys, as the key store would after importing its keys.json. */
export async function vectorKeyring(keysFile: string): Promise<Keyring> {
  const plan = await readKeyFile({ fileName: 'keys.json', content: readFileSync(keysFile, 'utf8') });
  const merchant = new Map<string, { type: MerchantKeyType; key: KeyObject }>();
  const issuer = new Map<string, { type: IssuerKeyType; key: KeyObject; iss: string }>();
  for (const k of plan.keys) {
    if (k.role === 'merchant-encryption') merchant.set(k.kid, { type: merchantKeyType(k.info.type)!, key: keyObjectFromJwk(k.jwk, 'private') });
    if (k.role === 'issuer') issuer.set(k.kid, { type: issuerKeyType(k.info.type)!, key: keyObjectFromJwk(k.jwk, 'public'), iss: k.iss! });
  }
  return { merchantKey: (kid) => merchant.get(kid) ?? null, issuerKey: (kid) => issuer.get(kid) ?? null };
}

/** JSON with keys sorted (and byte strings, big integers spelt out), to compare claims. */
export function canon(v: unknown): string {
  if (v instanceof Uint8Array) return `b'${Buffer.from(v).toString('hex')}'`;
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

/**
 * A broken vector's text, repaired the ways a mutation can: line breaks inside
 * taken out, the prefix (GBV2: all of it, Base45 has capitals only) in
 * capitals, a character or two, or a byte or four under the Base45, dropped.
 */
function repairs(text: string, gbv2: boolean): string[] {
  const prefix = gbv2 ? 'GBV2:' : 'GBV1:';
  const joined = text.trim().replace(/[\r\n\t]/g, '');
  const upper = gbv2 ? joined.toUpperCase() : joined.replace(/^gbv1:/i, prefix);
  const out = [upper, upper.slice(0, -1), upper.slice(0, -2)];
  const bytes = gbv2 && upper.startsWith(prefix) ? decodeBase45(upper.slice(prefix.length)) : null;
  if (bytes) for (let cut = 1; cut <= 4 && cut < bytes.length; cut++) out.push(prefix + encodeBase45(bytes.subarray(0, bytes.length - cut)));
  return out;
}

async function voucherTarget(name: string, folder: string, gbv2: boolean): Promise<Target> {
  const keyring = await vectorKeyring(join(FIXTURES, folder, 'keys.json'));
  const texts = (JSON.parse(readFileSync(join(FIXTURES, folder, 'vectors.json'), 'utf8')) as { vectors: { text: string }[] }).vectors.map((v) => v.text);
  const valid = new Set<string>();
  for (const t of [...texts, ...texts.flatMap((t) => repairs(t, gbv2))]) {
    const r = await openVoucher(t, keyring);
    if (r.verdict === 'VALID') valid.add(canon(r.claims));
  }
  if (valid.size === 0) throw new Error(`${name}: no seed opens VALID with the vector keys`);
  const seeds = texts.map((t) => Buffer.from(t, 'utf8'));
  if (gbv2) {
    for (const t of texts) {
      const bytes = decodeBase45(t.trim().slice('GBV2:'.length));
      if (bytes) seeds.push(Buffer.from(bytes));
    }
  }
  const textOf = (input: Buffer): string => {
    if (!gbv2 || input.subarray(0, 5).toString('latin1') === 'GBV2:') return input.toString('utf8');
    return `GBV2:${encodeBase45(input)}`;
  };
  return {
    name,
    seeds,
    dict: gbv2 ? [...DICT.base45, ...DICT.cbor] : [...DICT.base64url, ...DICT.json],
    async open(input) {
      const r = await openVoucher(textOf(input), keyring);
      if (r.verdict !== 'VALID') return 'refused';
      return valid.has(canon(r.claims)) ? 'accepted' : { falseAccept: 'VALID with claims no seed has' };
    },
  };
}

export const gbv1Target = (): Promise<Target> => voucherTarget('GBV1 voucher text', 'vectors', false);
export const gbv2Target = (): Promise<Target> => voucherTarget('GBV2 voucher text', 'vectors-v2', true);
