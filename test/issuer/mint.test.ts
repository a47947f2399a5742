/**
 * The issuer's minting, checked with nothing but jose: every voucher it mints
 * opens with compactDecrypt + compactVerify and carries exactly the claims
 * asked for; claimsFor fills each kind's claims in the spec's order.
 */
import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compactDecrypt, compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { merchantAsPlatform } from '../../server/issuer/keys';
import { CLAIM_KINDS, claimsFor, createMinter, mintVoucher, parseTime, pinHash } from '../../server/issuer/mint';
import { OUTER, SIGNING_ALGS, openVoucher, useIssuerFixtures } from './support';

const { platforms, merchants } = useIssuerFixtures();

describe('mint: every kind, every outer algorithm and key type, every signing algorithm', () => {
  for (const outer of OUTER) {
    for (const signAlg of SIGNING_ALGS) {
      it(`${outer.key} ${outer.alg}/${outer.enc} × ${signAlg}`, async () => {
        const platform = platforms[signAlg];
        const merchant = merchants[outer.key];
        const minter = createMinter(platform, merchant.encryption.publicJwk);
        for (const kind of CLAIM_KINDS) {
          const claims = claimsFor(kind, { iss: platform.iss, mid: merchant.id, sku: 'SKU-88', sub: 'u-123' });
          const text = await minter.mint(claims, { alg: outer.alg, enc: outer.enc });
          expect(text).toMatch(/^GBV1:[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
          const opened = await openVoucher(text, merchant, platform);
          expect(opened.outer).toMatchObject({ alg: outer.alg, enc: outer.enc, kid: merchant.encryption.kid, cty: 'JWT' });
          expect(opened.outer.zip).toBeUndefined();
          expect(opened.inner).toEqual({ alg: signAlg, kid: platform.signing.kid, typ: 'gbv+jwt' });
          expect(opened.claims).toEqual(claims);
        }
      });
    }
  }

  it('chooses the outer algorithm by key type when none is given', async () => {
    const platform = platforms.EdDSA;
    for (const [type, alg] of [['X25519', 'ECDH-ES'], ['P-256', 'ECDH-ES'], ['RSA', 'RSA-OAEP-256']] as const) {
      const merchant = merchants[type];
      const claims = claimsFor('item', { iss: platform.iss, mid: merchant.id });
      const text = await mintVoucher({ platform, merchantEncKey: merchant.encryption.publicJwk, claims });
      expect(decodeProtectedHeader(text.slice(5))).toMatchObject({ alg, enc: 'A256GCM' });
      expect((await openVoucher(text, merchant, platform)).claims).toEqual(claims);
    }
  });

  it('accepts imported keys (CryptoKey and KeyObject) as well as JWKs', async () => {
    const platform = platforms.ES256;
    const signingKey = await importJWK(platform.signing.privateJwk, 'ES256');
    if (signingKey instanceof Uint8Array) throw new Error('unexpected');
    const signer = { signing: { alg: 'ES256' as const, kid: platform.signing.kid, privateKey: signingKey } };
    for (const type of ['X25519', 'P-256', 'RSA'] as const) {
      const merchant = merchants[type];
      const keyObject = createPublicKey({ key: merchant.encryption.publicJwk as never, format: 'jwk' });
      const minter = createMinter(signer, { kid: merchant.encryption.kid, key: keyObject });
      expect(minter.merchantKeyType).toBe(type);
      const claims = claimsFor('gift', { iss: platform.iss, mid: merchant.id });
      expect((await openVoucher(await minter.mint(claims), merchant, platform)).claims).toEqual(claims);
    }
    const cryptoKey = await importJWK(merchants.RSA.encryption.publicJwk, 'RSA-OAEP-256');
    if (cryptoKey instanceof Uint8Array) throw new Error('unexpected');
    const minter = createMinter(platform, { kid: merchants.RSA.encryption.kid, key: cryptoKey });
    expect(minter.merchantKeyType).toBe('RSA');
    const claims = claimsFor('value', { iss: platform.iss, mid: 'M1001' });
    expect((await openVoucher(await minter.mint(claims), merchants.RSA, platform)).claims).toEqual(claims);
  });

  it('mints bare JWEs, without typ, with odd headers and payloads (for malformed-voucher tests)', async () => {
    const platform = platforms.EdDSA;
    const merchant = merchants.X25519;
    const minter = createMinter(platform, merchant.encryption.publicJwk);
    const claims = claimsFor('item', { iss: platform.iss, mid: merchant.id });

    const bare = await minter.mint(claims, { prefix: false, typ: false });
    expect(bare.startsWith('GBV1:')).toBe(false);
    expect(bare.split('.')).toHaveLength(5);
    const opened = await openVoucher(bare, merchant, platform);
    expect(opened.inner).toEqual({ alg: 'EdDSA', kid: platform.signing.kid });

    const odd = await minter.mint(claims, { outerHeader: { cty: undefined, x: 1 }, innerHeader: { kid: 'other-kid' } });
    const header = decodeProtectedHeader(odd.slice(5));
    expect(header.cty).toBeUndefined();
    expect(header.x).toBe(1);
    const { plaintext } = await compactDecrypt(odd.slice(5), await importJWK(merchant.encryption.privateJwk, 'ECDH-ES'));
    expect(decodeProtectedHeader(new TextDecoder().decode(plaintext)).kid).toBe('other-kid');

    const notJson = await minter.mint({}, { rawPayload: 'not json' });
    const { plaintext: p2 } = await compactDecrypt(notJson.slice(5), await importJWK(merchant.encryption.privateJwk, 'ECDH-ES'));
    const { payload } = await compactVerify(new TextDecoder().decode(p2), await importJWK(platform.signing.publicJwk, 'EdDSA'));
    expect(new TextDecoder().decode(payload)).toBe('not json');
  });

  it("mints a merchant's own vouchers under merchant:<id>", async () => {
    const merchant = merchants.X25519;
    const self = merchantAsPlatform(merchant);
    expect(self.iss).toBe('merchant:M1001');
    const claims = claimsFor('gift', { iss: self.iss, mid: merchant.id, sub: 'u-referrer' });
    const text = await mintVoucher({ platform: self, merchantEncKey: merchant.encryption.publicJwk, claims });
    const opened = await openVoucher(text, merchant, self);
    expect(opened.inner.kid).toBe('m1001-sig');
    expect(opened.claims).toEqual(claims);
  });

  it('refuses a merchant key without kid', () => {
    const { kid: _kid, ...noKid } = merchants.X25519.encryption.publicJwk;
    expect(() => createMinter(platforms.EdDSA, noKid as JWK)).toThrow(/kid/);
  });
});

describe('claimsFor', () => {
  const base = { iss: 'gb.example', mid: 'M1001', now: 1_800_000_000 };

  it('fills the defaults: jti, iat now, exp now + 30 days, and each kind its claims', () => {
    const item = claimsFor('item', base);
    expect(item).toEqual({ iss: 'gb.example', jti: item.jti, mid: 'M1001', knd: 'item', qty: 1, iat: 1_800_000_000, exp: 1_800_000_000 + 30 * 86_400 });
    expect(item.jti).toMatch(/^[A-Z2-7]{10}$/);
    expect(claimsFor('item', base).jti).not.toBe(item.jti);

    expect(claimsFor('value', { ...base, val: 5000 })).toMatchObject({ knd: 'value', val: 5000, cur: 'CNY' });
    expect(claimsFor('value', base)).not.toHaveProperty('qty');
    expect(claimsFor('gift', { ...base, qty: 2 })).toMatchObject({ knd: 'gift', qty: 2 });
    expect(claimsFor('multi-use', base)).toMatchObject({ knd: 'item', qty: 10, use: 3 });
    expect(claimsFor('campaign', { ...base, cmp: 'CNY-2027' })).toMatchObject({ cmp: 'CNY-2027' });
    expect(claimsFor('shared', { ...base, ref: ['a', 'b', 'c'], shr: 's', lvl: 4 })).toMatchObject({
      ref: ['a', 'b', 'c'],
      shr: 's',
      lvl: 4,
    });
    const pin = claimsFor('pin', { ...base, jti: 'pub-pin-1', pin: '4821' });
    expect(pin.pin).toBe('-xEcbnUnY5gmDNiYKkNgdwsH6amLgD6plbh5qMhsrbY');
    expect(JSON.stringify(pin)).not.toContain('4821');
  });

  it('writes claims in the spec order, drops nulls, passes unknown and malformed claims through', () => {
    const c = claimsFor('item', {
      ...base,
      jti: 'J1',
      exp: null,
      iat: null,
      nbf: 1_799_000_000,
      zz: 'kept',
      extra: { qty: '3', lvl: 1000, note: { a: 1 } },
    });
    expect(c).toEqual({ iss: 'gb.example', jti: 'J1', mid: 'M1001', knd: 'item', qty: '3', nbf: 1_799_000_000, zz: 'kept', lvl: 1000, note: { a: 1 } });
    expect(Object.keys(claimsFor('shared', { ...base, sku: 'S', sub: 'U' })).slice(0, 6)).toEqual(['iss', 'jti', 'mid', 'sku', 'sub', 'knd']);
    expect(claimsFor('item', { iss: null, mid: null, knd: null, qty: null })).not.toHaveProperty('iss');
  });

  it('pinHash matches the independent test vectors', () => {
    expect(pinHash('pub-pin-1', '4821')).toBe('-xEcbnUnY5gmDNiYKkNgdwsH6amLgD6plbh5qMhsrbY');
  });

  it('parseTime reads absolute, relative and ISO times', () => {
    const now = 1_800_000_000;
    expect(parseTime('1767225600', now)).toBe(1_767_225_600);
    expect(parseTime('+7d', now)).toBe(now + 7 * 86_400);
    expect(parseTime('-2h', now)).toBe(now - 7200);
    expect(parseTime('+30m', now)).toBe(now + 1800);
    expect(parseTime('now', now)).toBe(now);
    expect(parseTime('2027-01-01T00:00:00Z', now)).toBe(1_798_761_600);
    expect(() => parseTime('tomorrow', now)).toThrow(/not a time/);
  });
});
