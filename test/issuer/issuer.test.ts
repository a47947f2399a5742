/**
 * The issuer tool, checked with nothing but jose: every voucher it mints opens
 * with compactDecrypt + compactVerify and carries exactly the claims asked for;
 * the sealed bundle opens with its passphrase and has the §8 shape; QR PNGs
 * decode back to their text (with Debian's zbarimg). Independent of the
 * workstation's code.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compactDecrypt,
  compactVerify,
  decodeProtectedHeader,
  exportJWK,
  importJWK,
  importPKCS8,
  importSPKI,
  type JWK,
} from 'jose';
import { buildBundleJson, openBundle, sealBundle } from '../../server/issuer/bundle';
import {
  generateIssuerKey,
  generateMerchantKeys,
  merchantAsPlatform,
  parseMerchant,
  parsePlatform,
  pemOf,
  type ContentEnc,
  type EncKeyType,
  type KeyManagementAlg,
  type Merchant,
  type Platform,
  type SigningAlg,
} from '../../server/issuer/keys';
import {
  CLAIM_KINDS,
  claimsFor,
  createMinter,
  mintVoucher,
  parseTime,
  pinHash,
  writeQrPng,
  type Claims,
} from '../../server/issuer/mint';
import { writeVoucherSheet } from '../../server/issuer/sheet';

const SIGNING_ALGS: SigningAlg[] = ['EdDSA', 'ES256', 'RS256', 'PS256'];
const OUTER: { key: EncKeyType; alg: KeyManagementAlg; enc: ContentEnc }[] = [
  { key: 'X25519', alg: 'ECDH-ES', enc: 'A256GCM' },
  { key: 'X25519', alg: 'ECDH-ES+A256KW', enc: 'A256GCM' },
  { key: 'P-256', alg: 'ECDH-ES', enc: 'A256GCM' },
  { key: 'P-256', alg: 'ECDH-ES+A256KW', enc: 'A256GCM' },
  { key: 'RSA', alg: 'RSA-OAEP-256', enc: 'A256GCM' },
  { key: 'X25519', alg: 'ECDH-ES', enc: 'A128GCM' },
];
const ZBARIMG = '/usr/bin/zbarimg';
const REPO = fileURLToPath(new URL('../..', import.meta.url));

const platforms = {} as Record<SigningAlg, Platform>;
const merchants = {} as Record<EncKeyType, Merchant>;
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'issuer-test-'));
  // RSA key generation is the slow part: once per file, in parallel.
  await Promise.all([
    ...SIGNING_ALGS.map(async (alg) => {
      platforms[alg] = {
        iss: `gb-${alg.toLowerCase()}.example`,
        name: `Platform ${alg}`,
        signing: await generateIssuerKey({ alg, kid: `gb-${alg.toLowerCase()}-2026a` }),
      };
    }),
    ...(['X25519', 'P-256', 'RSA'] as const).map(async (enc) => {
      const keys = await generateMerchantKeys({ enc, kid: `m1001-${enc.toLowerCase()}`, sigKid: 'm1001-sig' });
      merchants[enc] = { id: 'M1001', name: 'Lotus Tea House', ...keys };
    }),
  ]);
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Open a voucher the way any JOSE implementation would: decrypt, then verify. */
async function openVoucher(text: string, merchant: Merchant, platform: Platform) {
  const jwe = text.startsWith('GBV1:') ? text.slice('GBV1:'.length) : text;
  const encKey = await importJWK(
    merchant.encryption.privateJwk,
    merchant.encryption.type === 'RSA' ? 'RSA-OAEP-256' : 'ECDH-ES',
  );
  const { plaintext, protectedHeader: outer } = await compactDecrypt(jwe, encKey, {
    keyManagementAlgorithms: ['ECDH-ES', 'ECDH-ES+A256KW', 'RSA-OAEP-256'],
    contentEncryptionAlgorithms: ['A256GCM', 'A128GCM'],
  });
  const sigKey = await importJWK(platform.signing.publicJwk, platform.signing.alg);
  const { payload, protectedHeader: inner } = await compactVerify(new TextDecoder().decode(plaintext), sigKey, {
    algorithms: [platform.signing.alg],
  });
  return { outer, inner, claims: JSON.parse(new TextDecoder().decode(payload)) as Claims };
}

/** The text of the QR code in a PNG, as zbarimg reads it (-Sbinary: the exact bytes, no charset guessing). */
function zbar(file: string): string {
  return execFileSync(ZBARIMG, ['--raw', '-q', '-Sbinary', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

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

describe('QR codes', () => {
  it('writes a PNG (byte mode, EC M) that decodes back to the voucher text', async (ctx) => {
    const platform = platforms.EdDSA;
    const claims = claimsFor('shared', { iss: platform.iss, mid: 'M1001' });
    const text = await mintVoucher({ platform, merchantEncKey: merchants.X25519.encryption.publicJwk, claims });
    const file = join(tmp, 'voucher.png');
    await writeQrPng(text, file, { scale: 3 });
    expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
    if (!existsSync(ZBARIMG)) {
      console.warn(`skipping the QR decode check: ${ZBARIMG} is not installed (apt-get install zbar-tools)`);
      ctx.skip();
    }
    expect(zbar(file)).toBe(text);
  });

  it('writes a voucher sheet: one PNG per voucher and a bilingual HTML page', async () => {
    const platform = platforms.EdDSA;
    const minter = createMinter(platform, merchants.X25519.encryption.publicJwk);
    const entries = [
      { label: 'Valid — 有效', note: 'Double hotpot set × 2 <b>', text: await minter.mint(claimsFor('item', { iss: platform.iss, mid: 'M1001', qty: 2 })) },
      { label: 'Expired — 已过期', text: await minter.mint(claimsFor('item', { iss: platform.iss, mid: 'M1001', exp: 1 })) },
    ];
    const dir = join(tmp, 'sheet');
    const html = await writeVoucherSheet(dir, entries, 'Demo vouchers — 演示券');
    expect(html).toBe(join(dir, 'sheet.html'));
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<meta charset="utf-8">');
    expect(page).toContain('Valid — 有效');
    expect(page).toContain('Expired — 已过期');
    expect(page).toContain('Double hotpot set × 2 &lt;b&gt;');
    const pngs = readdirSync(dir).filter((f) => f.endsWith('.png')).sort();
    expect(pngs).toEqual(['01-valid.png', '02-expired.png']);
    for (const f of pngs) expect(page).toContain(`src="${f}"`);
    if (existsSync(ZBARIMG)) expect(zbar(join(dir, '02-expired.png'))).toBe(entries[1]!.text);
  });
});

describe('CLI', () => {
  type CliResult = { code: number | null; stdout: string; stderr: string };
  const cli = (args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> =>
    new Promise((done, fail) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'server/issuer/index.ts'), ...args], {
        cwd: REPO,
        env: { ...process.env, ISSUER_BUNDLE_PASSPHRASE: '', ...opts.env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', fail);
      child.on('close', (code) => done({ code, stdout, stderr }));
      child.stdin.end(opts.input ?? '');
    });

  it('makes a platform and a merchant, mints vouchers that open, and renders QR codes', async () => {
    const pdir = join(tmp, 'cli-platform');
    const mdir = join(tmp, 'cli-merchant');
    let r = await cli(['platform', 'init', '--dir', pdir, '--alg', 'ES256', '--kid', 'gb-es-1']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ iss: 'gb.example', alg: 'ES256', kid: 'gb-es-1' });
    expect(statSync(join(pdir, 'platform.json')).mode & 0o777).toBe(0o600);
    const platform = parsePlatform(JSON.parse(readFileSync(join(pdir, 'platform.json'), 'utf8')));
    expect(r.stdout + r.stderr).not.toContain(platform.signing.privateJwk.d);

    r = await cli(['platform', 'init', '--dir', pdir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already exists/);

    r = await cli(
      ['merchant', 'create', '--platform', pdir, '--dir', mdir, '--id', 'M1001', '--name', 'Lotus Tea House', '--branch', 'B01', '--branch-name', 'Nanshan', '--enc', 'P-256', '--signing', '--p2c', '1000', '--server-url', 'https://gb.example/api'],
      { env: { ISSUER_BUNDLE_PASSPHRASE: 'open sesame' } },
    );
    expect(r.code, r.stderr).toBe(0);
    const merchant = parseMerchant(JSON.parse(readFileSync(join(mdir, 'merchant.json'), 'utf8')));
    expect(merchant.encryption.type).toBe('P-256');
    for (const secret of [merchant.encryption.privateJwk.d!, merchant.signing!.privateJwk.d!, merchant.server!.token, 'open sesame']) {
      expect(r.stdout + r.stderr).not.toContain(secret);
    }
    expect(statSync(join(mdir, 'merchant.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(mdir, 'keys/encryption.private.pem')).mode & 0o777).toBe(0o600);
    const bundle = await openBundle(readFileSync(join(mdir, 'bundle.jwe'), 'utf8'), 'open sesame');
    expect(bundle).toEqual(JSON.parse(readFileSync(join(mdir, 'bundle.json'), 'utf8')));
    expect(bundle).toMatchObject({ v: 1, merchant: { id: 'M1001' }, branch: { id: 'B01', name: 'Nanshan' }, server: { deviceId: 'B01-POS1' } });
    expect(readdirSync(join(mdir, 'keys')).sort()).toEqual([
      'encryption.private.jwk.json', 'encryption.private.pem', 'encryption.public.jwk.json', 'encryption.public.pem',
      'issuer-gb-example-gb-es-1.public.jwk.json', 'issuer-gb-example-gb-es-1.public.pem',
      'signing.private.jwk.json', 'signing.private.pem', 'signing.public.jwk.json', 'signing.public.pem',
    ]);

    const png = join(tmp, 'cli-png', 'v.png');
    r = await cli(['mint', '--platform', pdir, '--merchant', mdir, '--kind', 'value', '--val', '5000', '--cur', 'HKD', '--pin', '4821', '--jti', 'V', '--exp=-1d', '--claim', 'qty="3"', '--claim', 'note=hello', '--omit', 'iat', '--count', '2', '--png', png]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const [i, line] of lines.entries()) {
      const { claims } = await openVoucher(line, merchant, platform);
      const jti = `V-${i + 1}`;
      expect(claims).toMatchObject({ iss: 'gb.example', jti, mid: 'M1001', knd: 'value', val: 5000, cur: 'HKD', qty: '3', note: 'hello', pin: pinHash(jti, '4821') });
      expect(claims).not.toHaveProperty('iat');
      expect(claims.exp as number).toBeLessThan(Date.now() / 1000);
      expect(existsSync(join(tmp, 'cli-png', `v-${i + 1}.png`))).toBe(true);
    }
    if (existsSync(ZBARIMG)) expect(zbar(join(tmp, 'cli-png', 'v-2.png'))).toBe(lines[1]);

    r = await cli(['mint', '--as-merchant', '--merchant', join(mdir, 'bundle.json'), '--kind', 'gift', '--bare', '--alg', 'ECDH-ES+A256KW']);
    expect(r.code, r.stderr).toBe(0);
    const own = await openVoucher(r.stdout.trim(), merchant, merchantAsPlatform(merchant));
    expect(own.outer.alg).toBe('ECDH-ES+A256KW');
    expect(own.claims).toMatchObject({ iss: 'merchant:M1001', knd: 'gift' });

    const qrFile = join(tmp, 'cli-qr.png');
    r = await cli(['qr', '-', '--png', qrFile], { input: 'hello 你好\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(qrFile);
    if (existsSync(ZBARIMG)) expect(zbar(qrFile)).toBe('hello 你好');
  });

  it('answers usage errors with exit code 2 and other failures with 1', async () => {
    const usage = [
      [],
      ['frob'],
      ['mint', '--merchant', 'x'],
      ['mint', '--platform', 'x', '--merchant', 'y', '--qty', 'abc'],
      ['platform', 'init', '--dir', tmp, '--alg', 'HS256'],
      ['qr', 'text'],
      ['mint', '--bogus'],
    ];
    const [results, failure, helpResult] = await Promise.all([
      Promise.all(usage.map((args) => cli(args))),
      cli(['mint', '--platform', join(tmp, 'nope'), '--merchant', join(tmp, 'nope')]),
      cli(['help']),
    ]);
    for (const [i, r] of results.entries()) {
      expect(r.code, usage[i]!.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^issuer: /);
    }
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/cannot read/);
    expect(helpResult.code).toBe(0);
    expect(helpResult.stdout).toMatch(/merchant create/);
  });
});
