import { calculateJwkThumbprint, type JWK } from 'jose';
import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { UserError } from '../errors';
import type { IssuerKeyType, MerchantKeyType } from '../vouchers/codec';

/** What a key is, as far as VoucherDesk cares (docs/spec/voucher-format.md §7). */
export type KeyType = 'X25519' | 'Ed25519' | 'P-256' | 'RSA';

export interface KeyInfo {
  type: KeyType;
  kty: string;
  crv: string | null;
  bits: number | null;
  isPrivate: boolean;
}

const PUBLIC_MEMBERS: Record<string, string[]> = {
  OKP: ['kty', 'crv', 'x'],
  EC: ['kty', 'crv', 'x', 'y'],
  RSA: ['kty', 'n', 'e'],
};

/** Describes a JWK, or throws keys.unsupportedKey naming what it is. */
export function describeJwk(jwk: JWK): KeyInfo {
  const kty = typeof jwk.kty === 'string' ? jwk.kty : '?';
  const crv = typeof jwk.crv === 'string' ? jwk.crv : null;
  const isPrivate = typeof jwk.d === 'string';
  const unsupported = (what: string) =>
    new UserError('keys.unsupportedKey', `Unsupported key type: ${what}. VoucherDesk takes X25519, Ed25519, P-256 and RSA of 2048 bits or more.`, {
      type: what,
    });
  if (kty === 'OKP' && (crv === 'X25519' || crv === 'Ed25519')) {
    if (typeof jwk.x !== 'string') throw new UserError('keys.corruptFile', 'The key is incomplete.');
    return { type: crv, kty, crv, bits: null, isPrivate };
  }
  if (kty === 'EC' && crv === 'P-256') {
    if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') throw new UserError('keys.corruptFile', 'The key is incomplete.');
    return { type: 'P-256', kty, crv, bits: 256, isPrivate };
  }
  if (kty === 'RSA') {
    if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') throw new UserError('keys.corruptFile', 'The key is incomplete.');
    const bits = Buffer.from(jwk.n, 'base64url').length * 8;
    if (bits < 2048) throw unsupported(`RSA ${bits}`);
    return { type: 'RSA', kty, crv: null, bits, isPrivate };
  }
  throw unsupported(crv ? `${kty} ${crv}` : kty);
}

/** The public members of a JWK (RFC 7638 order does not matter here), plus its kid. */
export function publicJwk(jwk: JWK, kid: string): JWK {
  const out: Record<string, unknown> = {};
  for (const m of PUBLIC_MEMBERS[jwk.kty ?? ''] ?? []) out[m] = (jwk as Record<string, unknown>)[m];
  out.kid = kid;
  return out as JWK;
}

/** RFC 7638 thumbprint (SHA-256, base64url); people see its first 16 characters. */
export async function fingerprint(jwk: JWK): Promise<string> {
  return (await calculateJwkThumbprint(jwk, 'sha256')).slice(0, 16);
}

/** Turns a JWK into a Node key object once; throws keys.corruptFile when the numbers are not a key. */
export function keyObjectFromJwk(jwk: JWK, which: 'private' | 'public'): KeyObject {
  try {
    const clean = { ...jwk } as Record<string, unknown>;
    for (const m of ['kid', 'alg', 'use', 'key_ops', 'ext']) delete clean[m];
    const input = { key: clean as unknown as JsonWebKey, format: 'jwk' as const };
    return which === 'private' ? createPrivateKey(input) : createPublicKey(input);
  } catch {
    throw new UserError('keys.corruptFile', 'The key file is damaged: its numbers do not make a valid key.');
  }
}

export function merchantKeyType(t: KeyType): MerchantKeyType | null {
  return t === 'X25519' || t === 'P-256' || t === 'RSA' ? t : null;
}

export function issuerKeyType(t: KeyType): IssuerKeyType | null {
  return t === 'Ed25519' || t === 'P-256' || t === 'RSA' ? t : null;
}

/** A key object from the JWK; for a private key, also checks that its public members belong to it. */
export function checkKeyPair(jwk: JWK, isPrivate: boolean): KeyObject {
  const key = keyObjectFromJwk(jwk, isPrivate ? 'private' : 'public');
  if (!isPrivate) return key;
  const derived = createPublicKey(key).export({ format: 'jwk' }) as Record<string, unknown>;
  for (const m of PUBLIC_MEMBERS[jwk.kty ?? ''] ?? []) {
    if (derived[m] !== (jwk as Record<string, unknown>)[m]) {
      throw new UserError('keys.corruptFile', 'The key file is damaged: its public and private parts do not belong together.');
    }
  }
  return key;
}
