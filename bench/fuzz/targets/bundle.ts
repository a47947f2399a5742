/**
 * The merchant bundle an admin imports, through readKeyFile: the pure reading
 * part of keystore.import (it turns file content into an import plan; the key
 * store only stores a plan). Seeds: both vector bundles in the clear, the GBV1
 * one sealed with a passphrase (sealed-vectors-bundle.jwe: PBES2 with a low
 * iteration count as the tests use; test keys only; kept as a file because
 * sealing draws a random salt and seeds must not change between runs), a JWK,
 * a JWK Set and PEM files made from the vector keys.
 *
 * Refusal: a UserError (the key store's documented refusal). Crash: anything else.
 * False accept: a plan that breaks what the reader promises the key store: no
 * key at all; a merchant key without its private part; an issuer key still
 * holding a private member; a key type its role does not allow; or a sealed
 * bundle (authenticated by AES-GCM under the passphrase) that opens to a plan
 * other than the seed's, i.e. an altered sealed file was read.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JWK } from 'jose';
import { keyObjectFromJwk } from '../../../main/core/keystore/jwk';
import { isUserError } from '../../../main/core/errors';
import { readKeyFile } from '../parsers';
import type { Target } from '../harness';
import { DICT } from '../mutate';
import { canon } from './vouchers';
import { FIXTURES } from './fixtures';

const PASSPHRASE = 'fuzz bundle passphrase';
const ALLOWED: Record<string, string[]> = { 'merchant-encryption': ['X25519', 'P-256', 'RSA'], 'merchant-signing': ['Ed25519', 'P-256', 'RSA'], issuer: ['Ed25519', 'P-256', 'RSA'] };
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

type Plan = Awaited<ReturnType<typeof readKeyFile>>;
const planCanon = (p: Plan): string => canon({ ...p, source: '', warnings: [] });

function broken(p: Plan, sealedPlans: Set<string>): string | null {
  if (p.keys.length === 0) return 'a plan without keys';
  for (const k of p.keys) {
    if (!ALLOWED[k.role]?.includes(k.info.type)) return `a ${k.info.type} key as ${k.role}`;
    if (k.role !== 'issuer' && typeof k.jwk.d !== 'string') return 'a merchant key without its private part';
    if (k.role === 'issuer' && PRIVATE_MEMBERS.some((m) => m in k.jwk)) return 'an issuer key with a private member';
  }
  const sealed = p.source.startsWith('bundle:') && !p.warnings.includes('clearBundle');
  if (sealed && !sealedPlans.has(planCanon(p))) return 'an altered sealed bundle was read';
  return null;
}

export async function bundleTarget(): Promise<Target> {
  const clear = ['vectors', 'vectors-v2'].map((f) => readFileSync(join(FIXTURES, f, 'keys.json'), 'utf8'));
  const sealed = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'sealed-vectors-bundle.jwe'), 'utf8').trim();
  const bundle = JSON.parse(clear[0]!) as { encryptionKeys: JWK[]; issuers: { keys: JWK[] }[] };
  const pem = (jwk: JWK, which: 'private' | 'public') => keyObjectFromJwk(jwk, which).export({ format: 'pem', type: which === 'private' ? 'pkcs8' : 'spki' }).toString();
  const seeds = [
    ...clear,
    sealed,
    JSON.stringify(bundle.encryptionKeys[0]),
    JSON.stringify({ keys: bundle.issuers[0]!.keys }),
    pem(bundle.encryptionKeys[0]!, 'private'),
    pem(bundle.issuers[0]!.keys[0]!, 'public'),
  ].map((s) => Buffer.from(s, 'utf8'));
  const sealedPlans = new Set([planCanon(await readKeyFile({ fileName: 'bundle.jwe', content: sealed, bundlePassphrase: PASSPHRASE }))]);
  return {
    name: 'merchant bundle',
    seeds,
    dict: [...DICT.json, ...DICT.base64url, ...['-----BEGIN PRIVATE KEY-----', '-----END PUBLIC KEY-----', '"kty"', '"OKP"', '"RSA"', '"d"', '"p2c"', '"PBES2-HS512+A256KW"'].map((t) => Buffer.from(t))],
    async open(input) {
      let plan: Plan;
      try {
        plan = await readKeyFile({ fileName: 'import', content: input.toString('utf8'), bundlePassphrase: PASSPHRASE });
      } catch (e) {
        if (isUserError(e)) return 'refused';
        throw e;
      }
      const why = broken(plan, sealedPlans);
      return why ? { falseAccept: why } : 'accepted';
    },
  };
}
