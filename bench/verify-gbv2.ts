/**
 * Verify, GBV2 (docs/spec/voucher-format-v2.md): how long `openGbv2` takes per
 * voucher against ITS FLOOR, the cryptography alone done directly with
 * node:crypto on the same vouchers: the X25519 agreement (its `enc` made a key
 * object through a JWK) or the P-256 one (ECDH#computeSecret), the HPKE key schedule (HKDF-SHA256), AES-256-GCM,
 * and the signature over the prebuilt Sig_structure. Base45, strict CBOR, the
 * COSE shape, the algorithm policy and the claims are what openGbv2 adds.
 */
import {
  createDecipheriv,
  createECDH,
  createHmac,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  verify as cryptoVerify,
  type ECDH,
  type KeyObject,
} from 'node:crypto';
import { encode } from 'cborg';
import { encodeBase45 } from '../main/core/vouchers/gbv2/base45';
import { ALG_EDDSA, ALG_ES256, sigStructure, signSignature } from '../main/core/vouchers/gbv2/cose-sign1';
import { sealBase, type Kem } from '../main/core/vouchers/gbv2/hpke';
import { openGbv2 } from '../main/core/vouchers/gbv2/open';
import { fmt, note, nowUs, stats, table, tick, type Stats } from './lib';
import { BenchKeyring } from './verify-keyring';

interface Gbv2Suite {
  name: string;
  kem: Kem;
  alg: typeof ALG_EDDSA | typeof ALG_ES256;
}

const SUITES: Gbv2Suite[] = [
  { name: 'GBV2 X25519 + Ed25519 (HPKE 0x20/1/2, EdDSA)', kem: 'X25519', alg: ALG_EDDSA },
  { name: 'GBV2 P-256 + ES256 (HPKE 0x10/1/2, ES256)', kem: 'P-256', alg: ALG_ES256 },
];

const ISS = 'gb.bench';
const MID = 'M-BENCH';

/** What the floor needs, taken out of a voucher once, outside the clock. */
interface FloorInput {
  kem: Kem;
  skR: KeyObject;
  /** For P-256: the private key in an ECDH object, the fastest agreement node:crypto has. */
  ecdh: ECDH | null;
  pkRm: Buffer;
  enc: Buffer;
  ct: Buffer;
  info: Buffer;
  tbs: Buffer;
  signature: Buffer;
  issuerKey: KeyObject;
  alg: number;
}

const KEM_ID: Record<Kem, number> = { X25519: 0x20, 'P-256': 0x10 };

const hmac = (key: Uint8Array, ...parts: Uint8Array[]) => {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest();
};
const v1 = Buffer.from('HPKE-v1');
const zero32 = Buffer.alloc(32);
const lbl = (s: string) => Buffer.from(s);
const len2 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const one = Buffer.from([1]);

/** The floor: node:crypto calls only, in the order HPKE and COSE need them. */
function floorOpen(f: FloorInput): Buffer {
  const dh = f.ecdh
    ? f.ecdh.computeSecret(f.enc)
    : diffieHellman({ privateKey: f.skR, publicKey: createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: f.enc.toString('base64url') }, format: 'jwk' }) });
  const kemId = Buffer.concat([lbl('KEM'), len2(KEM_ID[f.kem])]);
  const eae = hmac(zero32, v1, kemId, lbl('eae_prk'), dh);
  const shared = hmac(eae, len2(32), v1, kemId, lbl('shared_secret'), f.enc, f.pkRm, one);
  const suite = Buffer.concat([lbl('HPKE'), len2(KEM_ID[f.kem]), len2(1), len2(2)]);
  const pskIdHash = hmac(zero32, v1, suite, lbl('psk_id_hash'));
  const infoHash = hmac(zero32, v1, suite, lbl('info_hash'), f.info);
  const ctx = Buffer.concat([Buffer.from([0]), pskIdHash, infoHash]);
  const secret = hmac(shared, v1, suite, lbl('secret'));
  const key = hmac(secret, len2(32), v1, suite, lbl('key'), ctx, one);
  const nonce = hmac(secret, len2(12), v1, suite, lbl('base_nonce'), ctx, one).subarray(0, 12);
  const d = createDecipheriv('aes-256-gcm', key, nonce);
  d.setAuthTag(f.ct.subarray(f.ct.length - 16));
  const pt = Buffer.concat([d.update(f.ct.subarray(0, f.ct.length - 16)), d.final()]);
  const ok =
    f.alg === ALG_EDDSA
      ? cryptoVerify(null, f.tbs, f.issuerKey, f.signature)
      : cryptoVerify('sha256', f.tbs, { key: f.issuerKey, dsaEncoding: 'ieee-p1363' }, f.signature);
  if (!ok) throw new Error('floor: bad signature');
  return pt;
}

/** Mints `n` GBV2 vouchers for one suite, with the floor's inputs beside each. */
function mint(suite: Gbv2Suite, keys: BenchKeyring, n: number): { texts: string[]; floor: FloorInput[] } {
  const merchant = suite.kem === 'X25519' ? generateKeyPairSync('x25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const issuer = suite.alg === ALG_EDDSA ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const mkid = `m2-${suite.kem.toLowerCase()}`;
  const ikid = `gb2-${suite.alg === ALG_EDDSA ? 'ed' : 'p256'}`;
  keys.merchant.set(mkid, { type: suite.kem, key: merchant.privateKey });
  keys.issuer.set(ikid, { type: suite.alg === ALG_EDDSA ? 'Ed25519' : 'P-256', key: issuer.publicKey, iss: ISS });
  const der = merchant.publicKey.export({ format: 'der', type: 'spki' });
  const pkRm = Buffer.from(der.subarray(der.length - (suite.kem === 'X25519' ? 32 : 65)));
  const protectedBytes = encode(new Map([[1, suite.alg]]));
  const info = Buffer.from(`GBV2:${mkid}`);
  let ecdh: ECDH | null = null;
  if (suite.kem === 'P-256') {
    ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(merchant.privateKey.export({ format: 'jwk' }).d!, 'base64url'));
  }
  const texts: string[] = [];
  const floor: FloorInput[] = [];
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < n; i++) {
    const claims = new Map<number, unknown>([
      [1, ISS], [2, `u-${i}`], [3, MID], [4, now + 86400 * 30], [5, now - 60], [6, now - 60],
      [7, `b2-${i.toString(36)}-${now.toString(36)}`], [8, `SKU-${i % 50}`], [10, 1 + (i % 3)],
    ]);
    const payload = encode(claims);
    const tbs = sigStructure(protectedBytes, payload);
    const signature = signSignature(suite.alg, issuer.privateKey, tbs);
    const sign1 = encode([protectedBytes, new Map([[4, Buffer.from(ikid)]]), payload, signature]);
    const { enc, ct } = sealBase({ kem: suite.kem, aead: 'AES-256-GCM' }, merchant.publicKey, info, new Uint8Array(), sign1);
    texts.push(`GBV2:${encodeBase45(encode([mkid, enc, ct]))}`);
    floor.push({ kem: suite.kem, skR: merchant.privateKey, ecdh, pkRm, enc, ct, info, tbs, signature, issuerKey: issuer.publicKey, alg: suite.alg });
  }
  return { texts, floor };
}

export interface Gbv2Figures {
  suites: { name: string; n: number; codecUs: Stats; floorUs: Stats; ratioP50: number }[];
  textLength: number;
  target: { ratioP50: number; suite: string; met: boolean };
}

export async function runVerifyGbv2(iterations: number, warmup: number): Promise<Gbv2Figures> {
  const keys = new BenchKeyring();
  const suites: Gbv2Figures['suites'] = [];
  let textLength = 0;
  for (const suite of SUITES) {
    const { texts, floor } = mint(suite, keys, iterations + warmup);
    textLength ||= texts[0]!.length;
    const codec: number[] = [];
    const direct: number[] = [];
    for (let i = 0; i < texts.length; i++) {
      // Alternate which runs first, so neither always meets the warmer cache.
      for (const which of i % 2 === 0 ? ['codec', 'floor'] : ['floor', 'codec']) {
        const t = nowUs();
        if (which === 'codec') {
          const r = openGbv2(texts[i]!, keys);
          const dt = nowUs() - t;
          if (r.verdict !== 'VALID') throw new Error(`bench GBV2 voucher not VALID: ${r.verdict}`);
          if (i >= warmup) codec.push(dt);
        } else {
          floorOpen(floor[i]!);
          const dt = nowUs() - t;
          if (i >= warmup) direct.push(dt);
        }
      }
      if (i % 64 === 0) await tick();
    }
    const c = stats(codec);
    const f = stats(direct);
    suites.push({ name: suite.name, n: c.n, codecUs: c, floorUs: f, ratioP50: c.p50 / f.p50 });
  }
  table(
    'Verify GBV2, per voucher (µs): openGbv2 vs its node:crypto floor',
    ['suite', 'n', 'openGbv2 p50', 'openGbv2 p99', 'floor p50', 'floor p99', 'p50 ratio'],
    suites.map((s) => [s.name, String(s.n), s.codecUs.p50, s.codecUs.p99, s.floorUs.p50, s.floorUs.p99, `${fmt(s.ratioP50, 2)}×`]),
  );
  const x = suites[0]!;
  const met = x.ratioP50 <= 1.3;
  note(
    `TARGET (GBV2 X25519 + Ed25519): openGbv2 p50 / floor p50 = ${fmt(x.ratioP50, 2)}× (target ≤ 1.3×): ${met ? 'MET' : 'NOT MET'}.\n` +
      `Voucher text: ${textLength} characters. Floor = node:crypto only: the agreement (X25519: enc → key object via JWK;\n` +
      'P-256: ECDH#computeSecret, the fastest node:crypto has), the HPKE key\n' +
      'schedule (7 HMAC-SHA256), AES-256-GCM, the signature over a prebuilt Sig_structure. openGbv2 adds Base45, four strict\n' +
      'CBOR decodes, the COSE shape and algorithm policy, and the claims (mapping + the GBV1 zod schema).',
  );
  return { suites, textLength, target: { ratioP50: x.ratioP50, suite: x.name, met } };
}
