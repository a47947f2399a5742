import { sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { decodeStrict } from './cbor';

/**
 * COSE_Sign1 (RFC 9052 §4.2, §4.4) as GBV2 carries it (docs/spec/voucher-format-v2.md §3):
 * untagged, `[protected: bstr .cbor {1: alg}, unprotected: {4: kid}, payload: bstr, signature: bstr]`,
 * the protected map with the algorithm and nothing else, the unprotected one with the kid and nothing else.
 * The signature is over `["Signature1", protected, h'', payload]`, built here byte by byte.
 */

export const ALG_EDDSA = -8;
export const ALG_ES256 = -7;

export interface Sign1 {
  alg: unknown;
  kid: string;
  protectedBytes: Uint8Array;
  payload: Uint8Array;
  signature: Uint8Array;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The parts of a GBV2 COSE_Sign1, or null when its shape is not the one above (MALFORMED). */
export function parseSign1(bytes: Uint8Array): Sign1 | null {
  let item: unknown;
  try {
    item = decodeStrict(bytes);
  } catch {
    return null;
  }
  if (!Array.isArray(item) || item.length !== 4) return null;
  const [prot, unprot, payload, signature] = item as unknown[];
  if (!(prot instanceof Uint8Array) || !(unprot instanceof Map) || !(payload instanceof Uint8Array) || !(signature instanceof Uint8Array)) return null;
  if (signature.length !== 64) return null;
  let header: unknown;
  try {
    header = decodeStrict(prot);
  } catch {
    return null;
  }
  if (!(header instanceof Map) || header.size !== 1 || !header.has(1)) return null;
  if (unprot.size !== 1) return null;
  const kidBytes: unknown = unprot.get(4);
  if (!(kidBytes instanceof Uint8Array)) return null;
  let kid: string;
  try {
    kid = utf8.decode(kidBytes);
  } catch {
    return null;
  }
  return { alg: header.get(1), kid, protectedBytes: prot, payload, signature };
}

/** CBOR head of a byte string (major type 2) of this length, in its shortest form. */
function bstrHead(n: number): Buffer {
  if (n < 24) return Buffer.from([0x40 | n]);
  if (n < 0x100) return Buffer.from([0x58, n]);
  if (n < 0x10000) return Buffer.from([0x59, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = 0x5a;
  b.writeUInt32BE(n, 1);
  return b;
}

// 0x84: array of 4; 0x6a "Signature1": text of 10.
const SIG1_HEAD = Buffer.concat([Buffer.from([0x84, 0x6a]), Buffer.from('Signature1')]);
const EMPTY_BSTR = Buffer.from([0x40]);

/** Sig_structure for a COSE_Sign1 (RFC 9052 §4.4), with an empty external_aad unless one is given. */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array, externalAad: Uint8Array = new Uint8Array()): Buffer {
  return Buffer.concat([
    SIG1_HEAD,
    bstrHead(protectedBytes.length),
    protectedBytes,
    externalAad.length ? Buffer.concat([bstrHead(externalAad.length), externalAad]) : EMPTY_BSTR,
    bstrHead(payload.length),
    payload,
  ]);
}

/** Checks a signature made with -8 (EdDSA, Ed25519) or -7 (ES256, r ‖ s); false for any other algorithm. */
export function verifySignature(alg: number, key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (alg === ALG_EDDSA) return cryptoVerify(null, data, key, signature);
    if (alg === ALG_ES256) return cryptoVerify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    // a key of another type: not a valid signature
  }
  return false;
}

/** Signs, for issuing, tests and the bench: the signature bytes for -8 or -7. */
export function signSignature(alg: typeof ALG_EDDSA | typeof ALG_ES256, key: KeyObject, data: Uint8Array): Buffer {
  return alg === ALG_EDDSA ? cryptoSign(null, data, key) : cryptoSign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
}
