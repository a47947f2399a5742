/**
 * Kiosk mode and About/Help (issue 13, part 7) in Chromium through a real core
 * and the browser host, at a counter's 1024×768:
 * - the owner turns kiosk mode on; the page asks for full screen, shows the
 *   kiosk badge, drops the kiosk keys, and asks again when full screen is left;
 * - leaving asks for approval every time (even with the owner's approval still
 *   held), and a cancel or a wrong passphrase leaves the counter locked;
 * - the Help dialog shows the version, the device, the data folder, the log
 *   folder, the database file and the shortcuts, in English and in Chinese;
 *   the "?" keeps the top bar inside the window.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppInfo, KioskState } from '../../preload/contract';
import { makeTestIssuer } from '../support/issuer';
import { e2eMissing, startRig, type Rig } from './harness';

const missing = e2eMissing();
if (missing) console.log(`End-to-end kiosk and help tests skipped: ${missing}`);

const ADMIN = 'owner passphrase 13';
let rig: Rig;

async function core<T>(name: string, input: unknown): Promise<T> {
  const out = await rig.core.connection.call(name, input);
  if (!out.ok) throw new Error(`${name} failed: ${out.error.code}`);
  return out.value as T;
}
const byId = (id: string) => rig.page.getByTestId(id);
const isFull = () => rig.page.evaluate(() => document.fullscreenElement !== null);

beforeAll(async () => {
  if (missing) return;
  const issuer = await makeTestIssuer();
  rig = await startRig({ setup: { passphrase: ADMIN, bundleJson: issuer.bundleJson, settings: { cashier: 'Amy', sound: false } } });
  await rig.page.setViewportSize({ width: 1024, height: 768 });
  await rig.page.locator('[data-testid="keystore-state"][data-state="unlocked"]').waitFor({ timeout: 20_000 });
}, 120_000);
afterAll(async () => rig?.close());
beforeEach(async () => {
  if (missing || !rig) return;
  for (let i = 0; i < 3 && (await byId('admin-dialog').count()) + (await byId('help-dialog').count()) > 0; i++) await rig.page.keyboard.press('Escape');
});

/** Answers the admin dialog with `passphrase`. */
async function approve(passphrase: string) {
  await byId('admin-dialog').waitFor();
  await byId('admin-passphrase').fill(passphrase);
  await rig.page.keyboard.press('Enter');
}

describe.skipIf(!!missing)('About and help (browser host + Chromium)', () => {
  it('shows the version, the device, the data folder and the shortcuts; the "?" keeps the top bar in the window', async () => {
    const info = await core<AppInfo>('app.info', {});
    const help = byId('help-open');
    const box = (await help.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(1024);
    expect(await rig.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    const bar = (await rig.page.locator('.topbar').boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(bar.y + bar.height);

    await help.click();
    await byId('help-dialog').waitFor();
    expect(await byId('help-version').innerText()).toBe(info.version);
    expect(await byId('help-device').innerText()).toBe(info.device);
    expect(await byId('help-merchant').innerText()).toBe(info.merchant!.name || info.merchant!.id);
    expect(await byId('help-data-dir').innerText()).toBe(rig.dataDir);
    expect(await byId('help-log-dir').innerText()).toBe(join(rig.dataDir, 'logs'));
    expect(await byId('help-database').innerText()).toBe(join(rig.dataDir, 'voucherdesk.db'));
    const rows = await byId('help-shortcut').allInnerTexts();
    expect(rows.some((r) => /^Alt\+1\s+Go to the Redeem screen$/.test(r))).toBe(true);
    expect(rows.some((r) => /^Alt\+6\s+Go to the Sync screen$/.test(r))).toBe(true);
    expect(rows.some((r) => /^Enter\s+Redeem the code in the scan box/.test(r))).toBe(true);
    expect(rows.some((r) => /^Esc\s+Clear the scan box/.test(r))).toBe(true);
    expect(await byId('help-call').innerText()).toMatch(/^The shop owner/);
    // The whole dialog is on the screen (its content scrolls inside it).
    const dialog = (await byId('help-dialog').boundingBox())!;
    expect(dialog.y).toBeGreaterThanOrEqual(0);
    expect(dialog.y + dialog.height).toBeLessThanOrEqual(768);
    await byId('dialog-ok').click();
    await byId('help-dialog').waitFor({ state: 'hidden' });
  }, 60_000);

  it('speaks Chinese', async () => {
    await core('settings.set', { locale: 'zh-CN' });
    await rig.page.reload();
    await rig.page.locator('[data-testid="keystore-state"][data-state="unlocked"]').waitFor({ timeout: 20_000 });
    try {
      await byId('help-open').click();
      await byId('help-dialog').waitFor();
      await expect.poll(() => byId('help-data-dir').innerText(), { timeout: 10_000 }).toBe(rig.dataDir);
      expect(await byId('help-dialog').locator('h2').innerText()).toBe('关于与帮助');
      expect(await byId('help-dialog').innerText()).toContain('数据文件夹');
      const rows = await byId('help-shortcut').allInnerTexts();
      expect(rows.some((r) => /^Alt\+1\s+切换到「核销」页面$/.test(r))).toBe(true);
      expect(rows.some((r) => /^Esc\s+清空扫码框/.test(r))).toBe(true);
      expect(await byId('help-version').innerText()).toBe((await core<AppInfo>('app.info', {})).version);
      await rig.page.keyboard.press('Escape');
      await byId('help-dialog').waitFor({ state: 'hidden' });
    } finally {
      await core('settings.set', { locale: 'en' });
      await rig.page.reload();
      await rig.page.locator('[data-testid="keystore-state"][data-state="unlocked"]').waitFor({ timeout: 20_000 });
    }
  }, 60_000);
});

describe.skipIf(!!missing)('kiosk mode in a browser (browser host + Chromium)', () => {
  it('the owner turns it on: the page asks for full screen, drops the kiosk keys, and asks again when full screen is left', async () => {
    await byId('tab-settings').click();
    await byId('kiosk-settings').waitFor();
    // The page says plainly what a browser cannot lock, and how to run Chromium instead.
    expect(await byId('kiosk-settings').getByTestId('kiosk-browser-note').innerText()).toMatch(/cannot be fully locked[\s\S]*chromium --kiosk/);
    await byId('kiosk-toggle').click();
    await approve(ADMIN);
    await byId('kiosk-prompt').waitFor({ timeout: 15_000 });
    expect(await core<KioskState>('kiosk.get', {})).toEqual({ enabled: true, locked: true });
    expect(await byId('kiosk-badge').isVisible()).toBe(true);
    expect(await byId('kiosk-prompt').getAttribute('data-back')).toBe('false');
    expect(await byId('kiosk-prompt').getByTestId('kiosk-browser-note').isVisible()).toBe(true);

    await byId('kiosk-fullscreen').click();
    await expect.poll(isFull, { timeout: 10_000 }).toBe(true);
    await byId('kiosk-prompt').waitFor({ state: 'hidden' });

    // The keys kiosk mode takes away are dropped; the counter's own are not.
    const prevented = (key: string, mods: { ctrlKey?: boolean; altKey?: boolean } = {}): Promise<boolean> =>
      rig.page.evaluate((init: { key: string; ctrlKey?: boolean; altKey?: boolean }) => !window.dispatchEvent(new KeyboardEvent('keydown', { ...init, cancelable: true, bubbles: true })), { key, ...mods });
    expect(await prevented('F5')).toBe(true);
    expect(await prevented('r', { ctrlKey: true })).toBe(true);
    expect(await prevented('F4', { altKey: true })).toBe(true);
    expect(await prevented('w', { ctrlKey: true })).toBe(true);
    expect(await prevented('v', { ctrlKey: true })).toBe(false);
    await rig.page.keyboard.press('Alt+2');
    await byId('tab-catalog').and(rig.page.locator('[aria-selected="true"]')).waitFor();

    // Full screen left (Esc held, F11…): the page asks to go back.
    await rig.page.evaluate(() => document.exitFullscreen());
    await byId('kiosk-prompt').waitFor();
    expect(await byId('kiosk-prompt').getAttribute('data-back')).toBe('true');
  }, 60_000);

  it('leaving asks for approval every time, and is refused without it', async () => {
    await byId('kiosk-prompt').waitFor();
    // Cancelled: still locked (the owner's approval from turning it on is not reused).
    await byId('kiosk-leave').click();
    await byId('admin-dialog').waitFor();
    await rig.page.keyboard.press('Escape');
    await byId('admin-dialog').waitFor({ state: 'hidden' });
    expect(await core<KioskState>('kiosk.get', {})).toEqual({ enabled: true, locked: true });
    expect(await byId('kiosk-prompt').isVisible()).toBe(true);

    // A wrong passphrase: refused, still locked.
    await byId('kiosk-leave').click();
    await approve('not the passphrase');
    await expect.poll(() => byId('dialog-error').innerText(), { timeout: 15_000 }).toBe('Wrong admin passphrase.');
    await rig.page.keyboard.press('Escape');
    await byId('admin-dialog').waitFor({ state: 'hidden' });
    expect(await core<KioskState>('kiosk.get', {})).toEqual({ enabled: true, locked: true });
    // Without a token the core refuses too.
    expect(await rig.core.connection.call('kiosk.leave', {})).toMatchObject({ ok: false, error: { code: 'admin.required' } });

    // Approved: out of kiosk mode, until it is locked again.
    await byId('kiosk-leave').click();
    await approve(ADMIN);
    await byId('kiosk-prompt').waitFor({ state: 'hidden', timeout: 15_000 });
    expect(await core<KioskState>('kiosk.get', {})).toEqual({ enabled: true, locked: false });
    expect(await byId('kiosk-badge').count()).toBe(0);

    // The Help dialog tells and locks it again.
    await byId('help-open').click();
    expect(await byId('help-kiosk-state').getAttribute('data-locked')).toBe('false');
    await byId('help-kiosk-resume').click();
    await byId('kiosk-prompt').waitFor({ timeout: 15_000 });
    expect(await core<KioskState>('kiosk.get', {})).toEqual({ enabled: true, locked: true });
  }, 60_000);
});
