/**
 * `npx tsx scripts/screenshots.ts`: the README's screenshots, taken from the
 * real demo workstation in the browser host with Debian's Chromium.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startCoreChild } from '../main/host/core-child';
import { startHost } from '../main/host/server';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'docs', 'screenshots');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vd-shots-'));
  const demo = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'demo.ts'), '--dir', dir, '--no-start'], { encoding: 'utf8' });
  if (demo.status !== 0) throw new Error(demo.stderr);
  const vouchers = JSON.parse(readFileSync(join(dir, 'vouchers.json'), 'utf8')) as { label: string; text: string; pin?: string }[];
  const core = await startCoreChild({ dataDir: join(dir, 'workstation') });
  await core.connection.call('keystore.unlock', { passphrase: 'demo-admin-1234' });
  const host = await startHost({ core: core.connection, rendererDir: join(ROOT, 'out', 'renderer') });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    for (const locale of ['en-US', 'zh-CN']) {
      const page = await (await browser.newContext({ locale, viewport: { width: 1366, height: 768 } })).newPage();
      await page.goto(host.url);
      const scan = async (text: string) => {
        await page.getByTestId('scan-input').focus();
        await page.keyboard.insertText(text);
        await page.keyboard.press('Enter');
        await page.waitForTimeout(400);
      };
      const suffix = locale === 'en-US' ? 'en' : 'zh';
      // Single-unit vouchers: redeemed at once, no units prompt.
      const single = locale === 'en-US' ? vouchers.find((v) => v.label.startsWith('Valid') && /× 1/.test(JSON.stringify(v)))! : vouchers.find((v) => v.label.startsWith('Gift'))!;
      await scan(single.text);
      await page.screenshot({ path: join(OUT, `redeem-valid-${suffix}.png`) });
      await scan(single.text);
      await page.screenshot({ path: join(OUT, `redeem-already-${suffix}.png`) });
      if (locale === 'en-US') {
        await scan(vouchers.find((v) => v.pin)!.text);
        await page.screenshot({ path: join(OUT, 'redeem-pin-en.png') });
        await page.keyboard.press('Escape');
        await page.getByTestId('tab-keys').click();
        await page.waitForTimeout(300);
        await page.screenshot({ path: join(OUT, 'keys-en.png') });
      }
    }
  } finally {
    await browser.close();
    await host.close();
    await core.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`Screenshots written to ${OUT}`);
}

void main();
