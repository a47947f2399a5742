/**
 * The issuer's keys and the merchant bundle: every key type with its kid, PEM
 * exports that import back, files read back; the sealed bundle opens with its
 * passphrase and has the §8 shape.
 */
import { describe, expect, it } from 'vitest';
import { compactDecrypt, decodeProtectedHeader, exportJWK, importPKCS8, importSPKI, type JWK } from 'jose';
import { buildBundleJson, openBundle, sealBundle } from '../../server/issuer/bundle';
import { parseMerchant, parsePlatform, pemOf, type Merchant, type Platform } from '../../server/issuer/keys';
import { claimsFor, mintVoucher } from '../../server/issuer/mint';
import { SIGNING_ALGS, openVoucher, useIssuerFixtures } from './support';

const { platforms, merchants } = useIssuerFixtures();

describe('keys', () => {
  it('generates the key types asked for, with kid, and public JWKs without private parts', () => {
    expect(merchants.X25519.encryption.publicJwk).toMatchObject({ kty: 'OKP', crv: 'X25519', kid: 'm1001-x25519' });
    expect(merchants['P-256'].encryption.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: 'm1001-p-256' });
    expect(merchants.RSA.encryption.publicJwk).toMatchObject({ kty: 'RSA', kid: 'm1001-rsa' });
    expect(Buffer.from(merchants.RSA.encryption.publicJwk.n!, 'base64url').length * 8).toBe(2048);
    expect(platforms.EdDSA.signing.publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(platforms.ES256.signing.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(Buffer.from(platforms.PS256.signing.publicJwk.n!, 'base64url').length * 8).toBe(2048);
    expect(merchants.X25519.signing?.publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: 'm1001-sig' });
    for (const jwk of [
      ...Object.values(platforms).map((p) => p.signing.publicJwk),
      ...Object.values(merchants).map((m) => m.encryption.publicJwk),
    ]) {
      expect(jwk.d).toBeUndefined();
      expect(jwk.p).toBeUndefined();
    }
  });

  it('exports PKCS#8 and SPKI PEMs that import back to the same keys', async () => {
    const cases: [JWK, string][] = [
      [merchants.X25519.encryption.privateJwk, 'ECDH-ES'],
      [merchants['P-256'].encryption.privateJwk, 'ECDH-ES'],
      [merchants.RSA.encryption.privateJwk, 'RSA-OAEP-256'],
      ...SIGNING_ALGS.map((alg) => [platforms[alg].signing.privateJwk, alg] as [JWK, string]),
    ];
    for (const [jwk, alg] of cases) {
      const { privatePem, publicPem } = await pemOf(jwk, alg);
      expect(privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      expect(publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
      const priv = await exportJWK(await importPKCS8(privatePem, alg, { extractable: true }));
      const pub = await exportJWK(await importSPKI(publicPem, alg));
      expect(priv.d).toBe(jwk.d);
      expect(pub.x ?? pub.n).toBe(jwk.x ?? jwk.n);
    }
  });

  it('reads platform and merchant files back, and refuses others', () => {
    const p = JSON.parse(JSON.stringify(platforms.EdDSA));
    expect(parsePlatform(p)).toEqual(platforms.EdDSA);
    const m = JSON.parse(JSON.stringify(merchants.RSA));
    expect(parseMerchant(m)).toEqual(merchants.RSA);
    expect(() => parsePlatform({ iss: 'x' })).toThrow(/not a platform file/);
    expect(() => parseMerchant(p)).toThrow(/not a merchant file/);
  });
});

describe('merchant bundle', () => {
  function fullMerchant(): Merchant {
    return {
      ...merchants.X25519,
      branch: { id: 'B01', name: 'Nanshan' },
      server: { url: 'https://gb.example/api', deviceId: 'B01-POS1', token: 'tok' },
    };
  }

  it('has the shape of §8', () => {
    const merchant = fullMerchant();
    const bundle = buildBundleJson(merchant, [platforms.EdDSA, platforms.PS256]);
    expect(bundle).toEqual({
      v: 1,
      merchant: { id: 'M1001', name: 'Lotus Tea House' },
      branch: { id: 'B01', name: 'Nanshan' },
      encryptionKeys: [merchant.encryption.privateJwk],
      signingKeys: [merchant.signing!.privateJwk],
      issuers: [
        { iss: platforms.EdDSA.iss, name: platforms.EdDSA.name, keys: [platforms.EdDSA.signing.publicJwk] },
        { iss: platforms.PS256.iss, name: platforms.PS256.name, keys: [platforms.PS256.signing.publicJwk] },
      ],
      server: { url: 'https://gb.example/api', deviceId: 'B01-POS1', token: 'tok' },
    });
    expect(bundle.encryptionKeys[0]).toMatchObject({ kty: 'OKP', crv: 'X25519', kid: 'm1001-x25519' });
    expect(bundle.encryptionKeys[0]!.d).toEqual(expect.any(String));
    expect(bundle.issuers[0]!.keys[0]!.d).toBeUndefined();
    expect(bundle.issuers[1]!.keys[0]!.d).toBeUndefined();

    const minimal = buildBundleJson({ id: 'M2', name: 'Two', encryption: merchants.RSA.encryption }, [platforms.ES256]);
    expect(Object.keys(minimal)).toEqual(['v', 'merchant', 'encryptionKeys', 'issuers']);

    const rotated: Platform = { ...platforms.ES256, signing: { ...platforms.RS256.signing, kid: 'rotated' } };
    const merged = buildBundleJson(merchant, [platforms.ES256, rotated]);
    expect(merged.issuers).toHaveLength(1);
    expect(merged.issuers[0]!.keys.map((k) => k.kid)).toEqual([platforms.ES256.signing.kid, 'rotated']);
  });

  it('seals with PBES2 and opens with the passphrase, not with another', async () => {
    const merchant = fullMerchant();
    const bundle = buildBundleJson(merchant, [platforms.EdDSA]);
    const sealed = await sealBundle(bundle, 'correct horse', { p2c: 1000 });
    expect(sealed.split('.')).toHaveLength(5);
    expect(decodeProtectedHeader(sealed)).toMatchObject({
      alg: 'PBES2-HS512+A256KW',
      enc: 'A256GCM',
      cty: 'gb-merchant-bundle+json',
      p2c: 1000,
    });
    // jose only takes PBES2 when asked to.
    const pbes2 = { keyManagementAlgorithms: ['PBES2-HS512+A256KW'], contentEncryptionAlgorithms: ['A256GCM'] };
    const { plaintext } = await compactDecrypt(sealed, new TextEncoder().encode('correct horse'), pbes2);
    expect(JSON.parse(new TextDecoder().decode(plaintext))).toEqual(bundle);
    expect(await openBundle(sealed, 'correct horse')).toEqual(bundle);
    await expect(compactDecrypt(sealed, new TextEncoder().encode('wrong horse'), pbes2)).rejects.toThrow(/decryption/i);
    await expect(openBundle(sealed, 'wrong horse')).rejects.toThrow();

    // The keys in the bundle open what the platform mints for the merchant.
    const claims = claimsFor('value', { iss: platforms.EdDSA.iss, mid: 'M1001', val: 8800 });
    const text = await mintVoucher({ platform: platforms.EdDSA, merchantEncKey: merchant.encryption.publicJwk, claims });
    const fromBundle: Merchant = {
      ...merchant,
      encryption: { ...merchant.encryption, privateJwk: bundle.encryptionKeys[0]! },
    };
    const issuer: Platform = { ...platforms.EdDSA, signing: { ...platforms.EdDSA.signing, publicJwk: bundle.issuers[0]!.keys[0]! } };
    expect((await openVoucher(text, fromBundle, issuer)).claims).toEqual(claims);
  });

  it('uses about 310000 PBES2 iterations by default', async () => {
    const sealed = await sealBundle('{"v":1}', 'p');
    expect(decodeProtectedHeader(sealed).p2c).toBe(310_000);
  });
});
