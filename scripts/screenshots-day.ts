/**
 * `npm run -s build:web && npx tsx scripts/screenshots-day.ts`: the README's
 * "running a shop day" pictures, from the real demo workstation in the browser
 * host with Debian's Chromium at 1366×768: the sign-in at the counter, a
 * cashier's undo waiting for a manager's approval, the shift's summary per
 * cashier, and the Reports tab. (The printed slip is scripts/slip.ts.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import type { StaffMember } from '../preload/contract';
import { startCoreChild } from '../main/host/core-child';
import { startHost } from '../main/host/server';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'docs', 'screenshots');
const PASSPHRASE = 'demo-admin-1234';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vd-day-'));
  const demo = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'demo.ts'), '--dir', dir, '--no-start'], { encoding: 'utf8' });
  if (demo.status !== 0) throw new Error(demo.stderr);
  const vouchers = JSON.parse(readFileSync(join(dir, 'vouchers.json'), 'utf8')) as { label: string; note?: string; text: string }[];
  const find = (label: string) => vouchers.find((v) => v.label.startsWith(label))!;
  // Two single-use vouchers for each language's day.
  const singles = { en: [vouchers.find((v) => v.label.startsWith('Valid') && /× 1/.test(v.note ?? ''))!, find('Gift')], zh: [find('GBV1 · Valid'), find('Campaign')] };
  const core = await startCoreChild({ dataDir: join(dir, 'workstation') });
  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const out = (await core.connection.call(name, input)) as { ok: true; value: T } | { ok: false; error: { code: string } };
    if (!out.ok) throw new Error(`${name}: ${out.error.code}`);
    return out.value;
  };
  await call('keystore.unlock', { passphrase: PASSPHRASE });
  const { token } = await call<{ token: string }>('admin.login', { passphrase: PASSPHRASE });
  const amy = await call<StaffMember>('staff.add', { adminToken: token, name: 'Amy 王芳', role: 'cashier', pin: '2468' });
  const max = await call<StaffMember>('staff.add', { adminToken: token, name: 'Max 李强', role: 'manager', pin: '1357' });
  await call('staff.setIdle', { adminToken: token, minutes: 0 });
  const host = await startHost({ core: core.connection, rendererDir: join(ROOT, 'out', 'renderer') });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    for (const locale of ['en-US', 'zh-CN'] as const) {
      const lang = locale === 'en-US' ? 'en' : 'zh';
      const context = await browser.newContext({ locale, viewport: { width: 1366, height: 768 } });
      const page = await context.newPage();
      const byId = (id: string) => page.getByTestId(id);
      const shot = (name: string) => page.screenshot({ path: join(OUT, `day-${name}-${lang}.png`) });
      await call('staff.signOut', {});
      await page.goto(host.url);
      await byId('sign-in').waitFor();
      await shot('sign-in');
      // Max opens the shift; Amy takes the counter.
      await call('staff.signIn', { staffId: max.id, pin: '1357' });
      await call('shift.open', { count: { vouchers: 12 } });
      await call('staff.signIn', { staffId: amy.id, pin: '2468' });
      await byId('scan-input').waitFor();
      for (const v of singles[lang]) await scan(page, v.text);
      // Amy's undo needs a manager: the approval asks for one.
      await page.locator('[data-testid="history-row"][data-type="redemption"]:not([data-reversed="true"])').first().getByTestId('undo').click();
      await byId('reverse-reason').fill(lang === 'en' ? 'customer changed their mind' : '顾客改主意了');
      await byId('reverse-dialog').getByTestId('dialog-ok').click();
      await byId('approve-dialog').waitFor();
      await byId('approve-name').first().click();
      await page.waitForTimeout(300);
      await shot('approve');
      await byId('approve-code').fill('1357');
      await page.keyboard.press('Enter');
      await byId('approve-dialog').waitFor({ state: 'detached' });
      // Max closes the shift: the summary per cashier.
      await call('staff.signIn', { staffId: max.id, pin: '1357' });
      await byId('tab-shift').click();
      await byId('shift-close').click();
      await byId('shift-closed').waitFor();
      await page.waitForTimeout(300);
      await shot('shift');
      await byId('tab-reports').click();
      await page.waitForTimeout(800);
      await shot('reports');
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

async function scan(page: Page, text: string): Promise<void> {
  await page.getByTestId('scan-input').focus();
  await page.keyboard.insertText(text);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(600);
}

void main();
