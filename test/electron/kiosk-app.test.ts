/**
 * Kiosk mode in the real Electron app (where the runtime is installed; skipped
 * elsewhere with the reason printed): the owner turns it on through the
 * contract, the window goes kiosk and refuses to close or quit; a manager's
 * leave frees it.
 */
import type { ElectronApplication, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchApp, skipReason } from './runtime';

if (skipReason) console.log(`Electron kiosk test skipped: ${skipReason}`);

const PASSPHRASE = 'owner passphrase for kiosk';

describe.skipIf(skipReason !== null)('Electron app in kiosk mode', () => {
  let app: ElectronApplication;
  let page: Page;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ app, page, close } = await launchApp());
  });
  afterAll(async () => {
    await close?.();
  });

  const call = async (name: string, input: unknown) =>
    (await page.evaluate(`window.voucherdesk.call(${JSON.stringify(name)}, ${JSON.stringify(input)})`)) as { ok: boolean; value?: unknown; error?: { code: string } };
  const isKiosk = () => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isKiosk() ?? null);
  /** Asks the window to close as its close button or Alt+F4 does; answers whether it is still there. */
  const tryClose = async () => {
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
    await page.waitForTimeout(300);
    return app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
  };

  it('locks the window while kiosk mode is on, and a leave frees it', async () => {
    const setup = await call('admin.setup', { passphrase: PASSPHRASE });
    expect(setup.ok).toBe(true);
    const token = (setup.value as { token: string }).token;
    expect(await isKiosk()).toBe(false);

    expect(await call('kiosk.set', { adminToken: token, on: true })).toMatchObject({ ok: true, value: { enabled: true, locked: true } });
    await expect.poll(isKiosk, { timeout: 10_000 }).toBe(true);
    expect(await tryClose()).toBe(1);
    await app.evaluate(({ app: a }) => a.quit());
    await page.waitForTimeout(300);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    expect(await call('kiosk.leave', {})).toMatchObject({ ok: false, error: { code: 'admin.required' } });
    expect(await isKiosk()).toBe(true);

    expect(await call('kiosk.leave', { adminToken: token })).toMatchObject({ ok: true, value: { enabled: true, locked: false } });
    await expect.poll(isKiosk, { timeout: 10_000 }).toBe(false);
  }, 60_000);
});
