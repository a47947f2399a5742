/**
 * Electron smoke test (playwright-core's _electron): the real app starts, its
 * window is hardened and the contract reaches the core. It runs only where the
 * Electron runtime is installed (and, on Linux, a display is available);
 * elsewhere it is skipped and says why.
 */
import type { ElectronApplication, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchApp, skipReason } from './runtime';

if (skipReason) console.log(`Electron smoke test skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('Electron app', () => {
  let app: ElectronApplication;
  let page: Page;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ app, page, close } = await launchApp());
  });

  afterAll(async () => {
    await close?.();
  });

  it('shows the VoucherDesk window', async () => {
    const title = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle());
    expect(title).toBe('VoucherDesk');
    expect(page.url()).toBe('app://voucherdesk/index.html');
  });

  it('reaches the core through the contract', async () => {
    const outcome = (await page.evaluate("window.voucherdesk.call('app.info', {})")) as { ok: boolean };
    expect(outcome).toMatchObject({ ok: true, value: expect.objectContaining({ device: expect.stringMatching(/^POS-/) }) });
    // A name outside the contract never leaves the page.
    expect(await page.evaluate("window.voucherdesk.call('fs.readFile', {})")).toMatchObject({ ok: false, error: { code: 'api.unknownCall' } });
  });

  it('gives the page no Node and no Electron', async () => {
    expect(await page.evaluate('typeof window.require')).toBe('undefined');
    expect(await page.evaluate('typeof process')).toBe('undefined');
    expect(await page.evaluate('typeof window.ipcRenderer')).toBe('undefined');
    expect(await page.evaluate('Object.keys(window.voucherdesk).sort().join(",")')).toBe('call,on');
  });

  it('opens no new windows', async () => {
    expect(await page.evaluate("window.open('https://example.com')")).toBeNull();
    expect(app.windows()).toHaveLength(1);
  });
});
