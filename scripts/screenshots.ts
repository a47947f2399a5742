/**
 * `npm run -s build:web && npx tsx scripts/screenshots.ts`: the README's
 * screenshots, taken from the real demo workstation in the browser host with
 * Debian's Chromium at 1366×768: the Redeem screen green, red, asking how many
 * units and with the camera on, in English and Chinese; a PIN question; the keys;
 * the Catalog's campaigns with the demo's campaign made strict (no server: the
 * note that the platform does not share stock shows), in English and Chinese.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startCoreChild, type CoreChild } from '../main/host/core-child';
import type { CampaignView } from '../preload/contract';
import { startHost } from '../main/host/server';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'docs', 'screenshots');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vd-shots-'));
  const demo = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'demo.ts'), '--dir', dir, '--no-start'], { encoding: 'utf8' });
  if (demo.status !== 0) throw new Error(demo.stderr);
  const vouchers = JSON.parse(readFileSync(join(dir, 'vouchers.json'), 'utf8')) as { label: string; note?: string; text: string; pin?: string }[];
  const core = await startCoreChild({ dataDir: join(dir, 'workstation') });
  await core.connection.call('keystore.unlock', { passphrase: 'demo-admin-1234' });
  const host = await startHost({ core: core.connection, rendererDir: join(ROOT, 'out', 'renderer') });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    // A camera for the "camera on" shots: Chromium's own test picture, allowed without asking.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  });
  const find = (label: string) => vouchers.find((v) => v.label.startsWith(label))!;
  await makeCampaignStrict(core.connection);
  try {
    for (const locale of ['en-US', 'zh-CN']) {
      const context = await browser.newContext({ locale, viewport: { width: 1366, height: 768 } });
      await context.grantPermissions(['camera'], { origin: host.url });
      const page = await context.newPage();
      await page.goto(host.url);
      await page.getByTestId('redeem-screen').waitFor();
      const scan = async (text: string) => {
        await page.getByTestId('scan-input').focus();
        await page.keyboard.insertText(text);
        await page.keyboard.press('Enter');
        await page.waitForTimeout(500);
      };
      const shot = (name: string) => page.screenshot({ path: join(OUT, `${name}-${locale === 'en-US' ? 'en' : 'zh'}.png`) });
      // Green: a single-unit voucher, redeemed at once.
      await scan(locale === 'en-US' ? vouchers.find((v) => v.label.startsWith('Valid') && /× 1/.test(v.note ?? ''))!.text : find('Gift').text);
      await shot('redeem-valid');
      // Red: the voucher the demo redeemed at set-up.
      await scan(find('Already used').text);
      await shot('redeem-already');
      // A question: how many of the 10 coffees (Enter takes one); cancelled, nothing taken.
      await scan(find('Multi-use').text);
      await page.getByTestId('units-input').waitFor();
      await shot('redeem-units');
      await page.keyboard.press('Escape');
      await page.getByTestId('units-dialog').waitFor({ state: 'detached' });
      if (locale === 'en-US') {
        await scan(find('PIN').text);
        await page.getByTestId('pin-dialog').waitFor();
        await page.screenshot({ path: join(OUT, 'redeem-pin-en.png') });
        await page.keyboard.press('Escape');
      }
      // Camera on, with a verdict beside it.
      await page.getByTestId('camera-toggle').click();
      await page.locator('[data-testid="camera-panel"][data-status="live"]').waitFor({ timeout: 20_000 });
      await scan(find(locale === 'en-US' ? 'Campaign' : 'Shared').text);
      await page.waitForTimeout(500);
      await shot('redeem-camera');
      await page.getByTestId('camera-toggle').click();
      await page.getByTestId('tab-catalog').click();
      await page.getByTestId('campaign-row').first().waitFor();
      await shot('catalog-campaigns');
      if (locale === 'en-US') {
        await page.getByTestId('tab-keys').click();
        await page.waitForTimeout(300);
        await page.screenshot({ path: join(OUT, 'keys-en.png') });
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await host.close();
    await core.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`Screenshots written to ${OUT}`);
}

/** The demo's campaign, strict as an owner would choose it on the Catalog screen. */
async function makeCampaignStrict(connection: CoreChild['connection']): Promise<void> {
  const call = async <T,>(name: string, input: unknown): Promise<T> => {
    const o = await connection.call(name, input);
    if (!o.ok) throw new Error(`${name}: ${o.error.code}`);
    return o.value as T;
  };
  const { token } = await call<{ token: string }>('admin.login', { passphrase: 'demo-admin-1234' });
  for (const c of await call<CampaignView[]>('campaigns.list', {})) {
    await call('campaigns.set', { adminToken: token, id: c.id, name: c.name, stock: c.stock, from: c.from, to: c.to, hours: c.hours, mode: 'strict' });
  }
}

void main();
