/**
 * Verify: how long `openVoucher` (steps 1-3 of docs/spec/voucher-format.md §6, on jose)
 * takes per voucher, for each merchant/issuer key family, against THE FLOOR:
 * the same cryptography done directly and synchronously with node:crypto on
 * the same vouchers (key agreement with the header's `epk`, Concat KDF, AES-GCM,
 * signature check). Then where the time of the jose path goes, phase by phase,
 * and the same for GBV2 (bench/verify-gbv2.ts): openGbv2 against its own floor.
 */
import { compactDecrypt, compactVerify } from 'jose';
import { describeJwk, issuerKeyType, keyObjectFromJwk, merchantKeyType } from '../main/core/keystore/jwk';
import { claimsSchema } from '../main/core/vouchers/claims';
import { openVoucher, parseVoucherText } from '../main/core/vouchers/codec';
import type { EncKeyType, KeyManagementAlg, SigningAlg } from '../server/issuer/keys';
import { claimsFor, createMinter } from '../server/issuer/mint';
import { fmt, makeParties, note, nowUs, section, stats, table, tick, type Stats } from './lib';
import { floorOpen, type FloorPhases } from './verify-floor';
import { runVerifyGbv2, type Gbv2Figures } from './verify-gbv2';
import { BenchKeyring } from './verify-keyring';
import { perOpCost } from './verify-webcrypto';

interface Suite {
  name: string;
  enc: EncKeyType;
  sign: SigningAlg;
  alg: KeyManagementAlg;
}

const SUITES: Suite[] = [
  { name: 'X25519 + Ed25519 (ECDH-ES, A256GCM, EdDSA)', enc: 'X25519', sign: 'EdDSA', alg: 'ECDH-ES' },
  { name: 'P-256 (ECDH-ES, A256GCM, ES256)', enc: 'P-256', sign: 'ES256', alg: 'ECDH-ES' },
  { name: 'P-256 (ECDH-ES+A256KW, A256GCM, ES256)', enc: 'P-256', sign: 'ES256', alg: 'ECDH-ES+A256KW' },
  { name: 'RSA (RSA-OAEP-256, A256GCM, RS256)', enc: 'RSA', sign: 'RS256', alg: 'RSA-OAEP-256' },
];

// ------------------------------------------------------------------ the jose path, phase by phase

interface JosePhases {
  parse: number;
  decrypt: number;
  verify: number;
  claims: number;
}

/** openVoucher's steps with a clock between them (same calls, same options, same order). */
async function josePhased(text: string, keys: BenchKeyring, acc: JosePhases): Promise<void> {
  let t = nowUs();
  const lap = (k: keyof JosePhases) => {
    const now = nowUs();
    acc[k] += now - t;
    t = now;
  };
  const parsed = parseVoucherText(text)!;
  const mk = keys.merchantKey(String(parsed.header.kid))!;
  lap('parse');
  const { plaintext } = await compactDecrypt(parsed.jwe, mk.key, {
    keyManagementAlgorithms: [String(parsed.header.alg)],
    contentEncryptionAlgorithms: ['A256GCM', 'A128GCM'],
  });
  const inner = new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
  lap('decrypt');
  const jwsHeader = JSON.parse(Buffer.from(inner.slice(0, inner.indexOf('.')), 'base64url').toString('utf8')) as { alg: string; kid: string };
  const ik = keys.issuerKey(jwsHeader.kid)!;
  lap('parse');
  const { payload } = await compactVerify(inner, ik.key, { algorithms: [jwsHeader.alg] });
  lap('verify');
  const raw: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  if (!claimsSchema.safeParse(raw).success) throw new Error('claims');
  lap('claims');
}

/** Samples of several named phases; p50 of each. */
function phaseSamples<T extends object>(names: (keyof T & string)[]) {
  const all = new Map<string, number[]>(names.map((n) => [n, []]));
  return {
    add(v: T) {
      for (const n of names) all.get(n)!.push((v as Record<string, number>)[n]!);
    },
    p50(): Record<string, number> {
      return Object.fromEntries(names.map((n) => [n, stats(all.get(n)!).p50]));
    },
  };
}

// ------------------------------------------------------------------ the run

export interface VerifyFigures {
  iterations: number;
  warmup: number;
  suites: { name: string; n: number; joseUs: Stats; floorUs: Stats; ratioP50: number }[];
  target: { ratioP50: number; suite: string; met: boolean };
  josePhasesUs: Record<string, number>;
  floorPhasesUs: Record<string, number>;
  phaseLoopUs: { jose: Stats; floor: Stats };
  floorPlusClaimsUs: Stats;
  perOpUs: { op: string; webcryptoP50: number; nodeP50: number }[];
  gbv2: Gbv2Figures;
}

export async function runVerify(opts: { quick: boolean }): Promise<VerifyFigures> {
  const iterations = opts.quick ? 200 : 3000;
  const warmup = opts.quick ? 50 : 300;
  section(`Verify: openVoucher (jose) vs the node:crypto floor — ${iterations} distinct vouchers per suite after ${warmup} warm-up`);

  const keys = new BenchKeyring();
  const prepared: { suite: Suite; texts: string[] }[] = [];
  const t0 = Date.now();
  for (const suite of SUITES) {
    const { platform, merchant } = await makeParties({ enc: suite.enc, sign: suite.sign, tag: `${suite.enc}-${suite.alg}`.toLowerCase() });
    const mjwk = merchant.encryption.privateJwk;
    keys.merchant.set(merchant.encryption.kid, { type: merchantKeyType(describeJwk(mjwk).type)!, key: keyObjectFromJwk(mjwk, 'private') });
    const ijwk = platform.signing.publicJwk;
    keys.issuer.set(platform.signing.kid, { type: issuerKeyType(describeJwk(ijwk).type)!, key: keyObjectFromJwk(ijwk, 'public'), iss: platform.iss });
    const minter = createMinter(platform, merchant.encryption.publicJwk, { alg: suite.alg });
    const texts: string[] = [];
    for (let i = 0; i < iterations + warmup; i++) {
      texts.push(await minter.mint(claimsFor('item', { iss: platform.iss, mid: merchant.id, sku: `SKU-${i % 50}`, sub: `u-${i}` })));
    }
    prepared.push({ suite, texts });
  }
  note(`minted ${prepared.length} × ${iterations + warmup} vouchers with the issuer tool in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  note(`voucher text length (X25519 suite): ${prepared[0]!.texts[0]!.length} characters`);

  const suites: VerifyFigures['suites'] = [];
  for (const { suite, texts } of prepared) {
    const jose: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i]!;
      // Alternate which runs first, so neither always meets the warmer cache.
      for (const which of i % 2 === 0 ? ['jose', 'floor'] : ['floor', 'jose']) {
        if (which === 'jose') {
          const t = nowUs();
          const r = await openVoucher(text, keys);
          const dt = nowUs() - t;
          if (r.verdict !== 'VALID') throw new Error(`bench voucher not VALID: ${r.verdict}`);
          if (i >= warmup) jose.push(dt);
        } else {
          const t = nowUs();
          floorOpen(text, keys);
          const dt = nowUs() - t;
          if (i >= warmup) floor.push(dt);
        }
      }
      if (i % 64 === 0) await tick();
    }
    const j = stats(jose);
    const f = stats(floor);
    suites.push({ name: suite.name, n: j.n, joseUs: j, floorUs: f, ratioP50: j.p50 / f.p50 });
  }

  table(
    'Verify, per voucher (µs)',
    ['suite', 'n', 'jose p50', 'jose p99', 'floor p50', 'floor p99', 'p50 ratio'],
    suites.map((s) => [s.name, String(s.n), s.joseUs.p50, s.joseUs.p99, s.floorUs.p50, s.floorUs.p99, `${fmt(s.ratioP50, 2)}×`]),
  );
  const x = suites[0]!;
  const met = x.ratioP50 <= 2;
  note(
    `TARGET (X25519 + Ed25519): jose p50 / floor p50 = ${fmt(x.ratioP50, 2)}× (target ≤ 2×): ${met ? 'MET' : 'NOT MET'}.\n` +
      'Floor = node:crypto, synchronous: import the header epk (JWK), X25519/ECDH agreement, Concat KDF (one SHA-256),\n' +
      '[AES key unwrap | RSA-OAEP], AES-GCM decrypt, signature verify, plus splitting and the two headers\' JSON.\n' +
      'Floor rows for P-256 and RSA are the same idea for those algorithms. Keys are cached KeyObjects in both paths.\n' +
      `Tails: jose p99 ${fmt(x.joseUs.p99)} µs vs floor p99 ${fmt(x.floorUs.p99)} µs. jose 6 runs on WebCrypto: on Node each subtle call is a\n` +
      'promise and most are a libuv threadpool round trip (agreement, digest, AES-GCM, verify: 4 per voucher), and each wake-up\n' +
      'of the main thread can wait for a CPU when the machine is busy. The synchronous floor has no such hand-offs.',
  );

  // Where the time goes (X25519 suite): the jose path phase by phase, the floor phase by phase,
  // and the floor plus the claims check, all interleaved on the same vouchers.
  const texts = prepared[0]!.texts;
  const jp = phaseSamples<JosePhases>(['parse', 'decrypt', 'verify', 'claims']);
  const fp = phaseSamples<FloorPhases>(['parse', 'epk', 'agree', 'kdf', 'unwrap', 'aes', 'verify']);
  const joseTotal: number[] = [];
  const floorTotal: number[] = [];
  const plusClaims: number[] = [];
  for (let i = 0; i < texts.length; i++) {
    const measured = i >= warmup;
    const j: JosePhases = { parse: 0, decrypt: 0, verify: 0, claims: 0 };
    const f: FloorPhases = { parse: 0, epk: 0, agree: 0, kdf: 0, unwrap: 0, aes: 0, verify: 0 };
    let jt = 0;
    let ft = 0;
    let pt = 0;
    for (const which of i % 2 === 0 ? ['jose', 'floor'] : ['floor', 'jose']) {
      if (which === 'jose') {
        const t = nowUs();
        await josePhased(texts[i]!, keys, j);
        jt = nowUs() - t;
      } else {
        // The floor, then the same claims check the codec makes, on its output.
        let t = nowUs();
        const payload = floorOpen(texts[i]!, keys, f);
        ft = nowUs() - t;
        t = nowUs();
        if (!claimsSchema.safeParse(JSON.parse(payload.toString('utf8'))).success) throw new Error('claims');
        pt = ft + (nowUs() - t);
      }
    }
    if (measured) {
      jp.add(j);
      fp.add(f);
      joseTotal.push(jt);
      floorTotal.push(ft);
      plusClaims.push(pt);
    }
    if (i % 64 === 0) await tick();
  }
  const josePhasesUs = jp.p50();
  const floorPhasesUs = fp.p50();
  const jTot = stats(joseTotal);
  const fTot = stats(floorTotal);
  const plus = stats(plusClaims);
  table(
    'Where the time goes, X25519 + Ed25519 (p50 µs of each phase, same vouchers, interleaved)',
    ['phase', 'jose path', 'floor'],
    [
      ['parse (prefix, shape, both headers\' JSON)', josePhasesUs.parse!, floorPhasesUs.parse!],
      ['JWE decrypt: jose compactDecrypt', josePhasesUs.decrypt!, ''],
      ['  import the epk (JWK → key)', '', floorPhasesUs.epk!],
      ['  X25519 agreement', '', floorPhasesUs.agree!],
      ['  Concat KDF (one SHA-256)', '', floorPhasesUs.kdf!],
      ['  AES-256-GCM decrypt', '', floorPhasesUs.aes!],
      ['JWS verify: jose compactVerify | Ed25519 verify', josePhasesUs.verify!, floorPhasesUs.verify!],
      ['claims: JSON + zod schema', josePhasesUs.claims!, ''],
      ['whole (p50 of the totals)', jTot.p50, fTot.p50],
    ],
  );
  note(
    `In this loop: jose path p50 ${fmt(jTot.p50)} µs, floor p50 ${fmt(fTot.p50)} µs (${fmt(jTot.p50 / fTot.p50, 2)}×).\n` +
      `Floor + JSON + zod claims check (≈ what a codec on synchronous node:crypto would cost): p50 ${fmt(plus.p50)} µs, ` +
      `p99 ${fmt(plus.p99)} µs = ${fmt(plus.p50 / fTot.p50, 2)}× the floor, ${fmt(jTot.p50 / plus.p50, 2)}× faster than the jose path.`,
  );

  const perOp = await perOpCost(opts.quick ? 200 : 2000, keys, texts[0]!);
  table(
    'One operation at a time: WebCrypto (crypto.subtle, what jose 6 uses) vs node:crypto (p50 µs)',
    ['operation', 'subtle p50', 'subtle p99', 'node p50', 'node p99'],
    perOp.map((o) => [o.op, o.webcrypto.p50, o.webcrypto.p99, o.node.p50, o.node.p99]),
  );

  section(`Verify GBV2: openGbv2 (node:crypto, synchronous) vs its floor — ${iterations} distinct vouchers per suite after ${warmup} warm-up`);
  const gbv2 = await runVerifyGbv2(iterations, warmup);

  return {
    iterations,
    warmup,
    suites,
    target: { ratioP50: x.ratioP50, suite: x.name, met },
    josePhasesUs,
    floorPhasesUs,
    phaseLoopUs: { jose: jTot, floor: fTot },
    floorPlusClaimsUs: plus,
    perOpUs: perOp.map((o) => ({ op: o.op, webcryptoP50: o.webcrypto.p50, nodeP50: o.node.p50 })),
    gbv2,
  };
}
