import {
  Aes256Gcm,
  CipherSuite,
  DhkemP256HkdfSha256,
  DhkemX25519HkdfSha256,
  HkdfSha256,
} from '@hpke/core';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeStrict } from '../../main/core/vouchers/gbv2/cbor';
import { ALG_EDDSA, ALG_ES256, parseSign1, sigStructure, signSignature, verifySignature } from '../../main/core/vouchers/gbv2/cose-sign1';
import { decap, keySchedule, openBase, sealBase, type Aead, type Kem } from '../../main/core/vouchers/gbv2/hpke';
import { FIXTURES } from '../support/workstation';

// The hand-written crypto framing of GBV2 against published vectors (RFC 9180,
// the COSE working group's examples) and against a maintained HPKE library.

const hex = (s: string) => Buffer.from(s, 'hex');
const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const published = (name: string) => JSON.parse(readFileSync(join(FIXTURES, 'published', name), 'utf8'));

function privateFromRaw(kem: Kem, d: Buffer, pub: Buffer): KeyObject {
  const jwk =
    kem === 'X25519'
      ? { kty: 'OKP', crv: 'X25519', d: b64u(d), x: b64u(pub) }
      : { kty: 'EC', crv: 'P-256', d: b64u(d), x: b64u(pub.subarray(1, 33)), y: b64u(pub.subarray(33)) };
  return createPrivateKey({ key: jwk, format: 'jwk' });
}

function rawPublic(kem: Kem, key: KeyObject): Buffer {
  const jwk = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'jwk' });
  return kem === 'X25519' ? Buffer.from(jwk.x!, 'base64url') : Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
}

describe('HPKE against RFC 9180 Appendix A (base mode)', () => {
  const rfc = published('rfc9180-hpke.json') as { vectors: Record<string, string | number>[] };
  for (const v of rfc.vectors) {
    const kem: Kem = v.kem_id === 32 ? 'X25519' : 'P-256';
    const aead: Aead = v.aead_id === 1 ? 'AES-128-GCM' : 'AES-256-GCM';
    const skR = privateFromRaw(kem, hex(v.skRm as string), hex(v.pkRm as string));

    it(`${v.section}: shared secret, key and nonce`, () => {
      const shared = decap(kem, hex(v.enc as string), skR);
      expect(shared.toString('hex')).toBe(v.shared_secret);
      const ctx = keySchedule(kem, aead, shared, hex(v.info as string));
      expect(ctx.key.toString('hex')).toBe(v.key);
      expect(ctx.baseNonce.toString('hex')).toBe(v.base_nonce);
    });

    it(`${v.section}: opens the first encryption, and nothing altered`, () => {
      const open = (enc: Buffer, info: Buffer, aad: Buffer, ct: Buffer) => openBase({ kem, aead }, skR, enc, info, aad, ct);
      const [enc, info, aad, ct] = [hex(v.enc as string), hex(v.info as string), hex(v.aad as string), hex(v.ct as string)];
      expect(open(enc, info, aad, ct)?.toString('hex')).toBe(v.pt);
      const flipped = Buffer.from(ct);
      flipped[0]! ^= 1;
      expect(open(enc, info, aad, flipped)).toBeNull();
      expect(open(enc, Buffer.concat([info, Buffer.from('x')]), aad, ct)).toBeNull();
      expect(open(enc, info, Buffer.alloc(0), ct)).toBeNull();
      expect(open(enc.subarray(1), info, aad, ct)).toBeNull();
    });
  }

  it('refuses a key of the other KEM, and an all-zero X25519 agreement', () => {
    const x = generateKeyPairSync('x25519').privateKey;
    const p = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const ct = randomBytes(40);
    expect(openBase({ kem: 'P-256', aead: 'AES-256-GCM' }, x, randomBytes(65), Buffer.alloc(0), Buffer.alloc(0), ct)).toBeNull();
    expect(openBase({ kem: 'X25519', aead: 'AES-256-GCM' }, p, randomBytes(32), Buffer.alloc(0), Buffer.alloc(0), ct)).toBeNull();
    // u = 0 is a point of small order: the agreement gives zero, which RFC 9180 §7.1.4 refuses.
    expect(openBase({ kem: 'X25519', aead: 'AES-256-GCM' }, x, Buffer.alloc(32), Buffer.alloc(0), Buffer.alloc(0), ct)).toBeNull();
  });
});

describe('HPKE with AES-256-GCM, against @hpke/core (RFC 9180, maintained)', () => {
  const SUITES: { kem: Kem; lib: () => CipherSuite }[] = [
    { kem: 'X25519', lib: () => new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() }) },
    { kem: 'P-256', lib: () => new CipherSuite({ kem: new DhkemP256HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() }) },
  ];
  for (const { kem, lib } of SUITES) {
    const pair = () => (kem === 'X25519' ? generateKeyPairSync('x25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' }));

    it(`${kem}: what @hpke/core seals, openBase opens`, async () => {
      const suite = lib();
      const { privateKey, publicKey } = pair();
      const pkR = await suite.kem.importKey('raw', new Uint8Array(rawPublic(kem, publicKey)).buffer, true);
      for (let i = 0; i < 5; i++) {
        const info = Buffer.from(`GBV2:kid-${i}`);
        const pt = randomBytes(200 + i);
        const sealed = await suite.seal({ recipientPublicKey: pkR, info }, pt);
        const opened = openBase({ kem, aead: 'AES-256-GCM' }, privateKey, new Uint8Array(sealed.enc), info, new Uint8Array(), new Uint8Array(sealed.ct));
        expect(opened?.equals(pt)).toBe(true);
      }
    });

    it(`${kem}: what sealBase seals, @hpke/core opens`, async () => {
      const suite = lib();
      const { privateKey, publicKey } = pair();
      const skR = await suite.kem.importKey('jwk', privateKey.export({ format: 'jwk' }), false);
      const info = Buffer.from('GBV2:pub2-m');
      const pt = randomBytes(300);
      const { enc, ct } = sealBase({ kem, aead: 'AES-256-GCM' }, publicKey, info, new Uint8Array(), pt);
      const opened = await suite.open({ recipientKey: skR, enc: new Uint8Array(enc).buffer, info }, new Uint8Array(ct).buffer);
      expect(Buffer.from(opened).equals(pt)).toBe(true);
    });
  }
});

describe('COSE_Sign1 against the COSE working group examples', () => {
  const cose = published('cose-sign1.json') as {
    vectors: { title: string; key: Record<string, string>; alg: string; external_hex: string; toBeSign_hex: string; cose_hex: string; valid: boolean }[];
  };
  for (const v of cose.vectors) {
    it(`${v.title}: Sig_structure and signature`, () => {
      const bytes = hex(v.cose_hex);
      // Untag (18) where tagged: GBV2 itself carries the untagged form only.
      const untagged = bytes[0] === 0xd2 ? bytes.subarray(1) : bytes;
      const key = createPublicKey({ key: v.key, format: 'jwk' });
      const alg = v.alg === 'EdDSA' ? ALG_EDDSA : ALG_ES256;
      // The four parts, read with the strict decoder but without GBV2's header rules.
      const parts = readSign1Parts(untagged);
      const tbs = sigStructure(parts.protectedBytes, parts.payload, hex(v.external_hex));
      if (v.valid) expect(tbs.toString('hex')).toBe(v.toBeSign_hex);
      expect(verifySignature(alg, key, tbs, parts.signature)).toBe(v.valid);
    });
  }

  it('reads the untagged example of exactly the GBV2 shape (sign-pass-03)', () => {
    const v = cose.vectors.find((x) => x.title.startsWith('sign-pass-03'))!;
    const s = parseSign1(hex(v.cose_hex))!;
    expect(s).not.toBeNull();
    expect(s.alg).toBe(ALG_ES256);
    expect(s.kid).toBe('11');
    expect(verifySignature(ALG_ES256, createPublicKey({ key: v.key, format: 'jwk' }), sigStructure(s.protectedBytes, s.payload), s.signature)).toBe(true);
    // Tagged, it is not GBV2's shape.
    expect(parseSign1(Buffer.concat([Buffer.from([0xd2]), hex(v.cose_hex)]))).toBeNull();
  });

  it('signs what it verifies, and no algorithm but -8 and -7 verifies', () => {
    const ed = generateKeyPairSync('ed25519');
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const data = randomBytes(100);
    expect(verifySignature(ALG_EDDSA, ed.publicKey, data, signSignature(ALG_EDDSA, ed.privateKey, data))).toBe(true);
    expect(verifySignature(ALG_ES256, ec.publicKey, data, signSignature(ALG_ES256, ec.privateKey, data))).toBe(true);
    expect(verifySignature(ALG_ES256, ed.publicKey, data, signSignature(ALG_EDDSA, ed.privateKey, data))).toBe(false);
    expect(verifySignature(-257, ed.publicKey, data, signSignature(ALG_EDDSA, ed.privateKey, data))).toBe(false);
  });
});

function readSign1Parts(bytes: Uint8Array): { protectedBytes: Uint8Array; payload: Uint8Array; signature: Uint8Array } {
  const [protectedBytes, , payload, signature] = decodeStrict(bytes) as [Uint8Array, unknown, Uint8Array, Uint8Array];
  return { protectedBytes, payload, signature };
}
