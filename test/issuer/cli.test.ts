/**
 * The issuer's output and its command line: QR PNGs decode back to their text
 * (with Debian's zbarimg), voucher sheets, and `npm run issuer` end to end.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBundle } from '../../server/issuer/bundle';
import { merchantAsPlatform, parseMerchant, parsePlatform } from '../../server/issuer/keys';
import { claimsFor, createMinter, mintVoucher, pinHash, qrVersion, writeQrPng } from '../../server/issuer/mint';
import { writeVoucherSheet } from '../../server/issuer/sheet';
import { newWorkstation } from '../support/workstation';
import { ZBARIMG, REPO, openVoucher, useIssuerFixtures, zbar } from './support';

const { platforms, merchants, tmp } = useIssuerFixtures();

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
    r = await cli(['mint', '--format', 'gbv1', '--platform', pdir, '--merchant', mdir, '--kind', 'value', '--val', '5000', '--cur', 'HKD', '--pin', '4821', '--jti', 'V', '--exp=-1d', '--claim', 'qty="3"', '--claim', 'note=hello', '--omit', 'iat', '--count', '2', '--png', png]);
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

    r = await cli(['mint', '--format', 'gbv1', '--as-merchant', '--merchant', join(mdir, 'bundle.json'), '--kind', 'gift', '--bare', '--alg', 'ECDH-ES+A256KW']);
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

  it('mints GBV2 by default: vouchers a workstation redeems, QR codes in alphanumeric mode', async () => {
    const pdir = join(tmp, 'cli2-platform');
    const mdir = join(tmp, 'cli2-merchant');
    expect((await cli(['platform', 'init', '--dir', pdir])).code).toBe(0);
    let r = await cli(['merchant', 'create', '--platform', pdir, '--dir', mdir, '--id', 'M2002', '--name', 'Plum', '--signing'], { env: { ISSUER_BUNDLE_PASSPHRASE: 'pw' } });
    expect(r.code, r.stderr).toBe(0);
    const png = join(tmp, 'cli2-png', 'pin.png');
    r = await cli(['mint', '--platform', pdir, '--merchant', mdir, '--kind', 'pin', '--pin', '2468', '--png', png]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/GBV2, HPKE/);
    const text = r.stdout.trim();
    expect(text).toMatch(/^GBV2:[0-9A-Z $%*+\-./:]+$/);
    expect(qrVersion(text)).toBeLessThanOrEqual(12);
    if (existsSync(ZBARIMG)) expect(zbar(png)).toBe(text);
    r = await cli(['mint', '--as-merchant', '--merchant', mdir, '--kind', 'gift', '--bare']);
    expect(r.code, r.stderr).toBe(0);
    const own = r.stdout.trim();
    expect(own.startsWith('GBV2:')).toBe(false);

    const ws = await newWorkstation({ keysFile: join(mdir, 'bundle.json') });
    try {
      expect((await ws.core.invoke('voucher.verify', { text, pin: '2468' }, { claims: true })).claims).toMatchObject({ iss: 'gb.example', mid: 'M2002', knd: 'item' });
      expect((await ws.core.invoke('voucher.verify', { text, pin: '2468' })).verdict).toBe('VALID');
      expect((await ws.core.invoke('voucher.verify', { text: `GBV2:${own}` })).verdict).toBe('VALID');
    } finally {
      ws.cleanup();
    }

    const rsa = join(tmp, 'cli2-rsa');
    expect((await cli(['merchant', 'create', '--platform', pdir, '--dir', rsa, '--id', 'M2003', '--name', 'Rsa', '--enc', 'RSA'], { env: { ISSUER_BUNDLE_PASSPHRASE: 'pw' } })).code).toBe(0);
    r = await cli(['mint', '--platform', pdir, '--merchant', rsa]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--format gbv1/);
    r = await cli(['mint', '--platform', pdir, '--merchant', rsa, '--format', 'gbv1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^GBV1:/);
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
      ['mint', '--platform', 'x', '--merchant', 'y', '--format', 'gbv3'],
      ['mint', '--platform', 'x', '--merchant', 'y', '--alg', 'ECDH-ES'],
      ['mint', '--platform', 'x', '--merchant', 'y', '--format', 'gbv2', '--no-typ'],
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
