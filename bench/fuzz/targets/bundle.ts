/**
 * The merchant bundle an admin imports, through readKeyFile: the pure reading
 * part of keystore.import (it turns file content into an import plan; the key
 * store only stores a plan). Seeds: both vector bundles in the clear, one
 * sealed with a passphrase (PBES2, a low iteration count as the tests use), a
 * JWK, a JWK Set and PEM files.
 *
 * Refusal: a UserError (the key store's documented refusal). Crash: anything else.
 * False accept: a plan that breaks what the reader promises the key store: no
 * key at all; a merchant key without its private part; an issuer key still
 * holding a private member; a key type its role does not allow; or a sealed
 * bundle (authenticated by AES-GCM under the passphrase) that opens to a plan
 * other than the seed's, i.e. an altered sealed file was read.
 */
import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { isUserError } from '../../../main/core/errors';
import { sealBundle } from '../../../server/issuer/bundle';
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
  const sealed = await sealBundle(clear[0]!, PASSPHRASE, { p2c: 1000 });
  const bundle = JSON.parse(clear[0]!) as { encryptionKeys: Record<string, unknown>[]; issuers: { keys: Record<string, unknown>[] }[] };
  const ed = generateKeyPairSync('ed25519');
  const seeds = [
    ...clear,
    sealed,
    JSON.stringify(bundle.encryptionKeys[0]),
    JSON.stringify({ keys: bundle.issuers[0]!.keys }),
    ed.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    ed.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
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
