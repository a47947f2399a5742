import {
  createCipheriv,
  createDecipheriv,
  createECDH,
  createHmac,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  type ECDH,
  type KeyObject,
} from 'node:crypto';

/**
 * HPKE (RFC 9180), base mode, single shot, on node:crypto and synchronous:
 * DHKEM(X25519, HKDF-SHA256) or DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, and
 * AES-128-GCM or AES-256-GCM (GBV2 uses AES-256-GCM only; AES-128-GCM is here
 * so that RFC 9180's own appendix vectors A.1.1 and A.3.1 can check this code).
 *
 * Hand-written because it is the hot path of a scan: the maintained library
 * (@hpke/core, a cross-check in the tests) runs on WebCrypto, whose promises
 * and thread-pool hops cost about twice the work itself on Node.
 */

export type Kem = 'X25519' | 'P-256';
export type Aead = 'AES-128-GCM' | 'AES-256-GCM';

const KEM_ID: Record<Kem, number> = { X25519: 0x0020, 'P-256': 0x0010 };
const AEAD: Record<Aead, { id: number; nk: number; cipher: 'aes-128-gcm' | 'aes-256-gcm' }> = {
  'AES-128-GCM': { id: 0x0001, nk: 16, cipher: 'aes-128-gcm' },
  'AES-256-GCM': { id: 0x0002, nk: 32, cipher: 'aes-256-gcm' },
};
const KDF_HKDF_SHA256 = 0x0001;
const NN = 12;
const NT = 16;
/** Npk: the length of a serialized public key (and so of `enc`). */
export const ENC_LENGTH: Record<Kem, number> = { X25519: 32, 'P-256': 65 };
const HPKE_V1 = Buffer.from('HPKE-v1');
const EMPTY = Buffer.alloc(0);

function i2osp2(n: number): Buffer {
  return Buffer.from([n >> 8, n & 0xff]);
}

// ------------------------------------------------------------------ HKDF-SHA256 (RFC 5869), labeled (RFC 9180 §4)

const ZERO_SALT = Buffer.alloc(32);
const ONE = Buffer.from([1]);
const labels = new Map<string, Buffer>();
const label = (s: string): Buffer => {
  let b = labels.get(s);
  if (!b) labels.set(s, (b = Buffer.from(s)));
  return b;
};

/** LabeledExtract: HMAC(salt, "HPKE-v1" ‖ suite_id ‖ label ‖ ikm); an empty salt is 32 zero bytes, as in HKDF. */
function labeledExtract(suiteId: Buffer, salt: Uint8Array, name: string, ikm: Uint8Array): Buffer {
  return createHmac('sha256', salt.length ? salt : ZERO_SALT).update(HPKE_V1).update(suiteId).update(label(name)).update(ikm).digest();
}

/** LabeledExpand for L ≤ 32 (one HKDF-Expand block): all HPKE needs here. */
function labeledExpand(suiteId: Buffer, prk: Uint8Array, name: string, info: Uint8Array, length: number): Buffer {
  const h = createHmac('sha256', prk).update(i2osp2(length)).update(HPKE_V1).update(suiteId).update(label(name));
  return h.update(info).update(ONE).digest().subarray(0, length);
}

// ------------------------------------------------------------------ DHKEM (RFC 9180 §4.1)

/** The receiver's serialized public key, made once per key object. */
const publicBytes = new WeakMap<KeyObject, Buffer>();

function serializedPublic(kem: Kem, key: KeyObject): Buffer {
  let pk = publicBytes.get(key);
  if (!pk) {
    const der = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'der', type: 'spki' });
    pk = Buffer.from(der.subarray(der.length - ENC_LENGTH[kem]));
    publicBytes.set(key, pk);
  }
  return pk;
}

/** The key type a KEM needs: X25519, or EC on P-256. */
export function fitsKem(kem: Kem, key: KeyObject): boolean {
  if (kem === 'X25519') return key.asymmetricKeyType === 'x25519';
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
}

/** P-256 agreements go through an ECDH object made once per private key: half the cost of a key object per `enc`. */
const p256Agreements = new WeakMap<KeyObject, ECDH>();

/**
 * DH(skR, pkE) on the raw `enc`. The fastest ways node:crypto offers (measured,
 * bench/verify-gbv2.ts): X25519 through a JWK (DER import costs ~9× more),
 * P-256 through ECDH#computeSecret, which also checks the point is on the curve.
 */
function dh(kem: Kem, privateKey: KeyObject, peer: Uint8Array): Buffer {
  if (kem === 'P-256') {
    if (peer[0] !== 0x04) throw new Error('not an uncompressed point');
    let ecdh = p256Agreements.get(privateKey);
    if (!ecdh) {
      ecdh = createECDH('prime256v1');
      ecdh.setPrivateKey(Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url'));
      p256Agreements.set(privateKey, ecdh);
    }
    return ecdh.computeSecret(peer);
  }
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(peer).toString('base64url') }, format: 'jwk' });
  const z = diffieHellman({ privateKey, publicKey });
  // RFC 9180 §7.1.4: an all-zero X25519 result (a small-order point) is an error.
  if (z.every((b) => b === 0)) throw new Error('DH result is zero');
  return z;
}

function extractAndExpand(kem: Kem, dhOut: Buffer, kemContext: Buffer): Buffer {
  const suiteId = Buffer.concat([Buffer.from('KEM'), i2osp2(KEM_ID[kem])]);
  const prk = labeledExtract(suiteId, EMPTY, 'eae_prk', dhOut);
  return labeledExpand(suiteId, prk, 'shared_secret', kemContext, 32);
}

// ------------------------------------------------------------------ key schedule (RFC 9180 §5.1), base mode

export interface Context {
  key: Buffer;
  baseNonce: Buffer;
}

export function keySchedule(kem: Kem, aead: Aead, sharedSecret: Uint8Array, info: Uint8Array): Context {
  const suiteId = Buffer.concat([Buffer.from('HPKE'), i2osp2(KEM_ID[kem]), i2osp2(KDF_HKDF_SHA256), i2osp2(AEAD[aead].id)]);
  const pskIdHash = labeledExtract(suiteId, EMPTY, 'psk_id_hash', EMPTY);
  const infoHash = labeledExtract(suiteId, EMPTY, 'info_hash', info);
  const context = Buffer.concat([Buffer.from([0x00]), pskIdHash, infoHash]);
  const secret = labeledExtract(suiteId, sharedSecret, 'secret', EMPTY); // psk = default (empty)
  return {
    key: labeledExpand(suiteId, secret, 'key', context, AEAD[aead].nk),
    baseNonce: labeledExpand(suiteId, secret, 'base_nonce', context, NN),
  };
}

/** Decap: the shared secret for `enc`, with the receiver's private key. */
export function decap(kem: Kem, enc: Uint8Array, skR: KeyObject): Buffer {
  if (enc.length !== ENC_LENGTH[kem]) throw new Error('enc of the wrong length');
  const dhOut = dh(kem, skR, enc);
  return extractAndExpand(kem, dhOut, Buffer.concat([enc, serializedPublic(kem, skR)]));
}

/**
 * OpenBase, single shot (sequence number 0): the plaintext, or null when
 * anything fails (a key of the wrong type, a bad `enc`, a wrong tag).
 */
export function openBase(
  suite: { kem: Kem; aead: Aead },
  skR: KeyObject,
  enc: Uint8Array,
  info: Uint8Array,
  aad: Uint8Array,
  ct: Uint8Array,
): Buffer | null {
  try {
    if (!fitsKem(suite.kem, skR) || skR.type !== 'private' || ct.length < NT) return null;
    const ctx = keySchedule(suite.kem, suite.aead, decap(suite.kem, enc, skR), info);
    const d = createDecipheriv(AEAD[suite.aead].cipher, ctx.key, ctx.baseNonce, { authTagLength: NT });
    d.setAAD(aad);
    d.setAuthTag(ct.subarray(ct.length - NT));
    return Buffer.concat([d.update(ct.subarray(0, ct.length - NT)), d.final()]);
  } catch {
    return null;
  }
}

/** SealBase, single shot, with a fresh ephemeral key (issuing, tests and the bench). */
export function sealBase(
  suite: { kem: Kem; aead: Aead },
  pkR: KeyObject,
  info: Uint8Array,
  aad: Uint8Array,
  pt: Uint8Array,
): { enc: Buffer; ct: Buffer } {
  const eph =
    suite.kem === 'X25519' ? generateKeyPairSync('x25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const enc = serializedPublic(suite.kem, eph.publicKey);
  const dhOut = diffieHellman({ privateKey: eph.privateKey, publicKey: pkR });
  const shared = extractAndExpand(suite.kem, dhOut, Buffer.concat([enc, serializedPublic(suite.kem, pkR)]));
  const ctx = keySchedule(suite.kem, suite.aead, shared, info);
  const c = createCipheriv(AEAD[suite.aead].cipher, ctx.key, ctx.baseNonce, { authTagLength: NT });
  c.setAAD(aad);
  const ct = Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
  return { enc, ct };
}
