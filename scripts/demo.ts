/**
 * `npm run demo [-- --dir D] [--no-start]`: a demo merchant with a sheet of sample vouchers.
 *
 *   1. Makes a demo platform (the voucher issuer) and a demo merchant, Lotus Tea House,
 *      with a passphrase-protected bundle, as a real platform would hand it over.
 *   2. Sets up a workstation in D/workstation and imports the bundle.
 *   3. Mints one voucher of each kind (and a used, an expired and a wrong-merchant one)
 *      in the compact format GBV2, and a few in the older GBV1 for comparison (labelled
 *      so), and writes them as QR codes on a printable sheet: D/sheet/sheet.html.
 *   4. Starts the app on that workstation: Electron where its runtime is installed,
 *      otherwise the browser host.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawn, spawnSync } from 'node:child_process';
import { buildBundleJson, sealBundle } from '../server/issuer/bundle';
import { generateIssuerKey, generateMerchantKeys, type Merchant, type Platform } from '../server/issuer/keys';
import { minterFor, type VoucherFormat } from '../server/issuer/format';
import { claimsFor, type ClaimKind, type ClaimOptions } from '../server/issuer/mint';
import { writeVoucherSheet } from '../server/issuer/sheet';
import { createCore } from '../main/core/services';
import { startCoreChild } from '../main/host/core-child';
import { startHost } from '../main/host/server';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEMO_ADMIN_PASSPHRASE = 'demo-admin-1234';
export const DEMO_BUNDLE_PASSPHRASE = 'demo-bundle-5678';

interface DemoVoucher {
  label: string;
  note: string;
  text: string;
  /** The verdict a scan gets right after the demo is set up. */
  expect: string;
  /** The voucher format; none for a text that is not a voucher. */
  format?: VoucherFormat;
  pin?: string;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, 'no-start': { type: 'boolean' } }, strict: true });
  const dir = resolve(values.dir ?? join(ROOT, 'demo-data'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const dataDir = join(dir, 'workstation');

  // 1. Platform and merchant.
  const platform: Platform = { iss: 'gb.demo', name: 'Demo Group Buy 演示团购', signing: await generateIssuerKey({ alg: 'EdDSA', kid: 'gb-demo-2026a' }) };
  const keys = await generateMerchantKeys({ enc: 'X25519', kid: 'm1001-2026a', sigKid: 'm1001-sig-2026a' });
  const merchant: Merchant = {
    id: 'M1001',
    name: 'Lotus Tea House 莲花茶馆',
    branch: { id: 'B01', name: 'Nanshan 南山店' },
    encryption: keys.encryption,
    ...(keys.signing ? { signing: keys.signing } : {}),
  };
  const sealed = await sealBundle(buildBundleJson(merchant, [platform]), DEMO_BUNDLE_PASSPHRASE);
  writeFileSync(join(dir, 'bundle.jwe'), sealed);

  // 2. The workstation.
  const core = await createCore({ dataDir, protector: { mode: 'passphrase' }, device: 'B01-POS1' });
  await core.keystore.setupAdmin(DEMO_ADMIN_PASSPHRASE);
  const { token } = core.admin.issue();
  const imported = await core.call('keystore.import', {
    adminToken: token,
    fileName: 'bundle.jwe',
    content: sealed,
    bundlePassphrase: DEMO_BUNDLE_PASSPHRASE,
  });
  if (!imported.ok) throw new Error(`demo import failed: ${imported.error.message}`);
  core.settings.set('cashier', 'Demo 演示');
  // The shop's products and its spring campaign, as an owner would import them.
  const products = [
    { sku: 'SKU-88', name: 'Double hotpot set 双人火锅套餐', price: 16800, cur: 'CNY' },
    { sku: 'SKU-12', name: 'Milk tea 奶茶', price: 1800, cur: 'CNY' },
    { sku: 'SKU-COFFEE', name: 'Coffee 咖啡', price: 2500, cur: 'CNY' },
    { sku: 'GIFT-TEA', name: 'Tea gift box 茶叶礼盒', price: 8800, cur: 'CNY' },
    { sku: 'CARD-300', name: 'Stored-value card ¥300 储值卡', price: 30000, cur: 'CNY' },
  ];
  for (const [name, input] of [
    ['products.import', { adminToken: token, fileName: 'products.json', content: JSON.stringify(products) }],
    ['campaigns.set', { adminToken: token, id: 'CNY-2027', name: 'Spring Festival 春节活动', stock: 200, from: null, to: null, hours: null }],
  ] as const) {
    const out = await core.call(name, input);
    if (!out.ok) throw new Error(`demo ${name} failed: ${out.error.message}`);
  }

  // 3. Vouchers.
  const minters = { gbv2: minterFor('gbv2', platform, merchant.encryption.publicJwk), gbv1: minterFor('gbv1', platform, merchant.encryption.publicJwk) };
  const now = Math.floor(Date.now() / 1000);
  const mint = (kind: ClaimKind, o: Partial<ClaimOptions> = {}, format: VoucherFormat = 'gbv2') =>
    minters[format].mint(claimsFor(kind, { iss: platform.iss, mid: merchant.id, sub: 'C-1024', now, ...o }));
  /** The same voucher in the older format, labelled so on the sheet. */
  const gbv1 = async (v: Omit<DemoVoucher, 'text'>, kind: ClaimKind, o: Partial<ClaimOptions>): Promise<DemoVoucher> => ({
    ...v,
    label: `GBV1 · ${v.label}`,
    note: `Older format, twice as long — 旧格式 · ${v.note}`,
    text: await mint(kind, o, 'gbv1'),
    format: 'gbv1',
  });
  const vouchers: DemoVoucher[] = [
    { label: 'Valid — 有效', note: 'Double hotpot set × 2 — 双人火锅套餐 × 2', text: await mint('item', { sku: 'SKU-88', qty: 2 }), expect: 'VALID' },
    { label: 'Valid — 有效', note: 'Milk tea × 1 — 奶茶 × 1', text: await mint('item', { sku: 'SKU-12', qty: 1 }), expect: 'VALID' },
    { label: 'Stored value — 储值券', note: '¥300.00', text: await mint('value', { sku: 'CARD-300', val: 30000, cur: 'CNY' }), expect: 'VALID' },
    { label: 'Gift — 礼品券', note: 'Tea gift box — 茶叶礼盒', text: await mint('gift', { sku: 'GIFT-TEA' }), expect: 'VALID' },
    { label: 'Multi-use — 多次券', note: '10 coffees, at most 3 visits — 10杯, 最多3次', text: await mint('multi-use', { sku: 'SKU-COFFEE', qty: 10, use: 3 }), expect: 'VALID' },
    { label: 'PIN 1234 — 需密码', note: 'Ask the customer for the PIN — 请顾客报密码', text: await mint('pin', { sku: 'SKU-88', pin: '1234' }), expect: 'VALID', pin: '1234' },
    { label: 'Campaign — 活动券', note: 'CNY-2027', text: await mint('campaign', { sku: 'SKU-88', cmp: 'CNY-2027' }), expect: 'VALID' },
    { label: 'Shared — 分享券', note: 'Shared by 2 people — 2人分享', text: await mint('shared', { sku: 'SKU-88', ref: ['C-2001', 'C-2002'], shr: 's', lvl: 2 }), expect: 'VALID' },
    { label: 'Already used — 已使用', note: 'Redeemed at set-up — 已核销', text: await mint('item', { sku: 'SKU-12' }), expect: 'ALREADY_REDEEMED' },
    { label: 'Expired — 已过期', note: 'Expired yesterday — 昨天过期', text: await mint('item', { sku: 'SKU-12', iat: now - 40 * 86400, exp: now - 86400 }), expect: 'EXPIRED' },
    { label: 'Not yet valid — 未生效', note: 'From next week — 下周起', text: await mint('item', { sku: 'SKU-12', nbf: now + 7 * 86400 }), expect: 'NOT_YET_VALID' },
    { label: 'Wrong merchant — 非本店券', note: 'For merchant M9999 — 属于其他商家', text: await mint('item', { sku: 'SKU-12', mid: 'M9999' }), expect: 'WRONG_MERCHANT' },
  ].map((v) => ({ ...v, format: 'gbv2' as const }));
  vouchers.push(
    await gbv1({ label: 'Valid — 有效', note: 'Milk tea × 1 — 奶茶 × 1', expect: 'VALID' }, 'item', { sku: 'SKU-12', qty: 1 }),
    await gbv1({ label: 'Stored value — 储值券', note: '¥300.00', expect: 'VALID' }, 'value', { sku: 'CARD-300', val: 30000, cur: 'CNY' }),
    await gbv1({ label: 'PIN 1234 — 需密码', note: 'Ask the customer for the PIN — 请顾客报密码', expect: 'VALID', pin: '1234' }, 'pin', { sku: 'SKU-88', pin: '1234' }),
    await gbv1({ label: 'Expired — 已过期', note: 'Expired yesterday — 昨天过期', expect: 'EXPIRED' }, 'item', { sku: 'SKU-12', iat: now - 40 * 86400, exp: now - 86400 }),
    { label: 'Not a voucher — 非券码', note: 'A product barcode — 商品条码', text: '6901234567892', expect: 'MALFORMED' },
  );
  const used = vouchers.find((v) => v.expect === 'ALREADY_REDEEMED')!;
  const r = await core.redeemer.redeem(used.text, {});
  if (r.verdict !== 'VALID') throw new Error(`demo: could not pre-redeem the used voucher (${r.verdict})`);
  core.keystore.lock();
  core.close();

  const sheet = await writeVoucherSheet(
    join(dir, 'sheet'),
    vouchers.map(({ label, note, text }) => ({ label, note, text })),
    'VoucherDesk demo vouchers — 演示券',
  );
  writeFileSync(join(dir, 'vouchers.json'), JSON.stringify(vouchers, null, 2));

  console.log(`VoucherDesk demo is ready in ${dir}
  Merchant:          ${merchant.id} ${merchant.name}, branch ${merchant.branch!.id}
  Admin passphrase:  ${DEMO_ADMIN_PASSPHRASE}   (unlocks the keys and approves undo)
  Voucher sheet:     ${sheet}
  Bundle to import:  ${join(dir, 'bundle.jwe')}  (bundle passphrase: ${DEMO_BUNDLE_PASSPHRASE})`);
  if (values['no-start']) return;

  // 4. Start the app on the demo workstation.
  const nativeHelpers = './electron-native.mjs'; // plain JS shared with `npm start`
  const { electronBinary } = (await import(nativeHelpers)) as { electronBinary(): string | null };
  if (electronBinary()) {
    spawn(process.execPath, [join(ROOT, 'scripts', 'start-electron.mjs'), '--data-dir', dataDir], { stdio: 'inherit' });
    return;
  }
  console.log('The Electron runtime is not installed here: starting the browser host instead.');
  const build = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '-s', 'build:web'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(1);
  const child = await startCoreChild({ dataDir });
  const host = await startHost({ core: child.connection, rendererDir: join(ROOT, 'out', 'renderer') });
  console.log(`Open: ${host.url}`);
  const stop = async () => {
    await host.close();
    await child.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main().catch((e: unknown) => {
  console.error(`VoucherDesk demo failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
