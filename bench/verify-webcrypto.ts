/**
 * WebCrypto (crypto.subtle, what jose 6 uses) against node:crypto, one
 * operation of the GBV1 X25519 path at a time.
 */
import { createDecipheriv, createHash, createPublicKey, diffieHellman, verify as cryptoVerify, webcrypto } from 'node:crypto';
import { nowUs, stats, type Stats } from './lib';
import { b64, concatKdf, u32 } from './verify-floor';
import type { BenchKeyring } from './verify-keyring';

const subtle = webcrypto.subtle;

export async function perOpCost(iterations: number, keys: BenchKeyring, sample: string): Promise<{ op: string; webcrypto: Stats; node: Stats }[]> {
  const jwe = sample.slice(5);
  const [h, , iv, ct, tag] = jwe.split('.') as [string, string, string, string, string];
  const header = JSON.parse(b64(h).toString('utf8')) as { kid: string; enc: string; epk: Record<string, string> };
  const mk = keys.merchant.get(header.kid)!;
  // Node 20 has no KeyObject.toCryptoKey: jose (and we) go through a JWK export once.
  const privCk = await subtle.importKey('jwk', mk.key.export({ format: 'jwk' }), { name: 'X25519' }, false, ['deriveBits']);
  const epkKo = createPublicKey({ key: header.epk, format: 'jwk' });
  const epkCk = await subtle.importKey('jwk', header.epk, { name: 'X25519' }, true, []);
  const z = diffieHellman({ privateKey: mk.key, publicKey: epkKo });
  const cek = concatKdf(z, header.enc, 256);
  const gcmInput = Buffer.concat([b64(ct), b64(tag)]);
  const aad = Buffer.from(h, 'ascii');
  const g = createDecipheriv('aes-256-gcm', cek, b64(iv));
  g.setAAD(aad);
  g.setAuthTag(b64(tag));
  const inner = Buffer.concat([g.update(b64(ct)), g.final()]).toString('utf8');
  const [ih, ip, is] = inner.split('.') as [string, string, string];
  const ik = [...keys.issuer.values()].find((k) => k.type === 'Ed25519')!;
  const ikCk = await subtle.importKey('jwk', ik.key.export({ format: 'jwk' }), { name: 'Ed25519' }, false, ['verify']);
  const data = Buffer.from(`${ih}.${ip}`, 'ascii');
  const sig = b64(is);
  const kdfInput = Buffer.concat([u32(1), z, Buffer.alloc(27)]);

  const ops: { op: string; web: () => Promise<unknown>; node: () => unknown }[] = [
    {
      op: 'import epk (JWK → key)',
      web: () => subtle.importKey('jwk', header.epk, { name: 'X25519' }, true, []),
      node: () => createPublicKey({ key: header.epk, format: 'jwk' }),
    },
    {
      op: 'X25519 agreement',
      web: () => subtle.deriveBits({ name: 'X25519', public: epkCk }, privCk, 256),
      node: () => diffieHellman({ privateKey: mk.key, publicKey: epkKo }),
    },
    { op: 'SHA-256 (Concat KDF)', web: () => subtle.digest('SHA-256', kdfInput), node: () => createHash('sha256').update(kdfInput).digest() },
    {
      op: 'AES-256-GCM decrypt (import raw + decrypt)',
      web: async () => {
        const k = await subtle.importKey('raw', cek, 'AES-GCM', false, ['decrypt']);
        return subtle.decrypt({ name: 'AES-GCM', iv: b64(iv), additionalData: aad, tagLength: 128 }, k, gcmInput);
      },
      node: () => {
        const g = createDecipheriv('aes-256-gcm', cek, b64(iv));
        g.setAAD(aad);
        g.setAuthTag(b64(tag));
        return Buffer.concat([g.update(b64(ct)), g.final()]);
      },
    },
    { op: 'Ed25519 verify', web: () => subtle.verify('Ed25519', ikCk, sig, data), node: () => cryptoVerify(null, data, ik.key, sig) },
    { op: 'an awaited no-op (for scale)', web: () => Promise.resolve(), node: () => undefined },
  ];
  const out: { op: string; webcrypto: Stats; node: Stats }[] = [];
  for (const { op, web, node } of ops) {
    const w: number[] = [];
    const n: number[] = [];
    for (let i = 0; i < iterations; i++) {
      let t = nowUs();
      await web();
      w.push(nowUs() - t);
      t = nowUs();
      node();
      n.push(nowUs() - t);
    }
    out.push({ op, webcrypto: stats(w.slice(iterations >> 3)), node: stats(n.slice(iterations >> 3)) });
  }
  return out;
}
