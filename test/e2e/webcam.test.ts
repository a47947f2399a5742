import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../preload/contract';
import { composeFrame, renderCode, toolsMissing, writeY4m, yuvFrame, type CodeMaker } from '../fixtures/webcam/frames';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { tempDir } from '../support/workstation';
import { e2eMissing, startCameraRig, startRig, type Rig } from './harness';

// Issue 4, the webcam: Chromium's fake camera plays a y4m made here by ffmpeg
// from frames showing vouchers (qrcode package, Debian's qrencode, zint's
// PDF417 and Data Matrix) on a busy background, rotated and blurred. The video
// loops; every voucher must be redeemed exactly once.
const missing = e2eMissing() ?? toolsMissing(['ffmpeg', 'qrencode', 'zint']);
if (missing) console.log(`Webcam end-to-end tests skipped: ${missing}`);

const ADMIN = 'owner passphrase 1';
const W = 1280;
const H = 720;
const FPS = 10;
let issuer: TestIssuer;
let tmp: { dir: string; cleanup(): void };

beforeAll(async () => {
  if (missing) return;
  issuer = await makeTestIssuer();
  tmp = tempDir('vd-webcam-');
}, 60_000);
afterAll(() => tmp?.cleanup());

interface Shot {
  maker: CodeMaker;
  text: string;
  /** Seconds the code is shown. */
  seconds: number;
}

/** A y4m of the shots in order, each followed by `gap` seconds of busy background without a code. */
async function makeVideo(name: string, shots: Shot[], gap: number): Promise<string> {
  const dir = join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  const frames: { yuv: Buffer; repeat: number }[] = [];
  const empty = yuvFrame(composeFrame(join(dir, 'empty.png'), { width: W, height: H, seed: 7, blur: 0.6 }), W, H);
  for (const [i, s] of shots.entries()) {
    const code = await renderCode(s.maker, s.text, join(dir, `code-${i}.png`));
    // PDF417 is long and thin: rotate it less than the square codes.
    const angle = s.maker === 'pdf417' ? 2 : 6;
    const png = composeFrame(join(dir, `frame-${i}.png`), { width: W, height: H, code, angle, blur: 0.6, seed: 3 + i, fill: 0.8 });
    frames.push({ yuv: yuvFrame(png, W, H), repeat: Math.round(s.seconds * FPS) });
    if (gap > 0) frames.push({ yuv: empty, repeat: Math.round(gap * FPS) });
  }
  const file = join(dir, `${name}.y4m`);
  writeY4m(file, W, H, FPS, frames);
  return file;
}

async function openRigWithCamera(y4m: string): Promise<Rig> {
  // Every request the page makes stays on the host (the decoder's .wasm is never fetched from a CDN).
  const foreign: string[] = [];
  const rig = await startCameraRig(y4m, {
    setup: { passphrase: ADMIN, bundleJson: issuer.bundleJson, settings: { cashier: 'Cam', sound: false } },
    beforeReload: (r) =>
      r.page.on('request', (req) => {
        if (!req.url().startsWith(r.host.url.replace(/\/\?.*$/, '').replace(/\/$/, '')) && !req.url().startsWith('blob:') && !req.url().startsWith('data:')) foreign.push(req.url());
      }),
  });
  (rig as Rig & { foreign: string[] }).foreign = foreign;
  return rig;
}

async function redemptions(rig: Rig): Promise<HistoryEntry[]> {
  const h = await rig.core.connection.call('ledger.history', { limit: 100 });
  if (!h.ok) throw new Error(h.error.message);
  return (h.value as HistoryEntry[]).filter((e) => e.type === 'redemption');
}

const verdictSeq = (rig: Rig) => rig.page.evaluate(() => Number(document.querySelector('[data-testid="verdict"]')?.getAttribute('data-seq') ?? 0));

describe.skipIf(!!missing)('the webcam at the counter (fake camera in Chromium, browser host, real core)', () => {
  it('a QR from the qrcode package held up for a while: VALID once, redeemed once though the video loops', async () => {
    const voucher = await issuer.mint('item', { qty: 1 });
    // Two seconds of the code and nothing else: the looping video shows it without a break.
    const y4m = await makeVideo('held', [{ maker: 'qrcode', text: voucher.text, seconds: 2 }], 0);
    const rig = await openRigWithCamera(y4m);
    try {
      const { page } = rig;
      expect(await page.getByTestId('camera-panel').getAttribute('data-status')).toBe('off');
      await page.getByTestId('camera-toggle').click();
      await page.locator('[data-testid="camera-panel"][data-status="live"]').waitFor({ timeout: 20_000 });
      // The scan input keeps the focus (the camera button does not take it).
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('scan-input');
      await page.locator('[data-testid="verdict"][data-verdict="VALID"]').waitFor({ timeout: 20_000 });
      const seq = await verdictSeq(rig);
      // Held up for another 5 s (the video loops twice more): no second verdict.
      await page.waitForTimeout(5000);
      expect(await verdictSeq(rig)).toBe(seq);
      expect(await page.getByTestId('verdict').getAttribute('data-verdict')).toBe('VALID');
      const rows = await redemptions(rig);
      expect(rows.map((r) => r.jti)).toEqual([voucher.jti]);
      // The decoder ran in WebAssembly, from our own origin only.
      expect(await page.getByTestId('camera-panel').getAttribute('data-engine')).toBe('zxing-wasm');
      expect((rig as Rig & { foreign: string[] }).foreign).toEqual([]);
      // The choice is remembered: after a reload the camera comes back on by itself.
      await page.reload();
      await page.locator('[data-testid="camera-panel"][data-status="live"]').waitFor({ timeout: 20_000 });
      await page.getByTestId('camera-toggle').click();
      expect(await page.getByTestId('camera-panel').getAttribute('data-status')).toBe('off');
      expect(await page.getByTestId('camera-video').count()).toBe(0);
    } finally {
      await rig.close();
    }
  }, 120_000);

  it('qrencode QR, zint PDF417 and zint Data Matrix one after another: each redeemed exactly once', async () => {
    const a = await issuer.mint('item', { qty: 1 });
    const b = await issuer.mint('item', { qty: 1 });
    const c = await issuer.mint('item', { qty: 1 });
    const y4m = await makeVideo(
      'formats',
      [
        { maker: 'qrencode', text: a.text, seconds: 1.5 },
        { maker: 'pdf417', text: b.text, seconds: 1.5 },
        { maker: 'datamatrix', text: c.text, seconds: 1.5 },
      ],
      0.5,
    );
    const rig = await openRigWithCamera(y4m);
    try {
      const { page } = rig;
      await page.getByTestId('camera-toggle').click();
      await expect.poll(async () => (await redemptions(rig)).length, { timeout: 30_000, interval: 250 }).toBe(3);
      // Let the 6-second video loop once more: the codes come back after > 3 s, are read again, and
      // are found already redeemed; nothing is redeemed twice.
      await page.waitForTimeout(7000);
      const rows = await redemptions(rig);
      expect(rows.map((r) => r.jti).sort()).toEqual([a.jti, b.jti, c.jti].sort());
      expect(await page.getByTestId('verdict').getAttribute('data-verdict')).toMatch(/^(VALID|ALREADY_REDEEMED)$/);
    } finally {
      await rig.close();
    }
  }, 150_000);
  it('no camera, and permission refused: a clear state in the cashier\'s language, never a blank box', async () => {
    // No fake device: this machine has no camera at all.
    let rig = await startRig();
    try {
      await rig.page.getByTestId('camera-toggle').click();
      await rig.page.locator('[data-testid="camera-panel"][data-status="noCamera"]').waitFor({ timeout: 20_000 });
      expect(await rig.page.getByTestId('camera-state').innerText()).toContain('No camera found');
      await rig.page.screenshot({ path: join(tmp.dir, 'no-camera.png') });
    } finally {
      await rig.close();
    }
    // A camera, but the permission is refused (no grant, no auto-accept), in Chinese.
    rig = await startRig({ locale: 'zh-CN', args: ['--use-fake-device-for-media-stream'] });
    try {
      const { page } = rig;
      await page.context().clearPermissions();
      page.on('dialog', (d) => void d.dismiss());
      await page.getByTestId('camera-toggle').click();
      await page.locator('[data-testid="camera-panel"][data-status="denied"]').waitFor({ timeout: 20_000 });
      const words = await page.getByTestId('camera-state').innerText();
      expect(words).toContain('没有使用摄像头的权限');
      expect(await page.getByTestId('camera-retry').isVisible()).toBe(true);
      // The scan input still works while the camera is refused.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('scan-input');
    } finally {
      await rig.close();
    }
  }, 120_000);
  it('two cameras: the cashier picks one, and the choice is remembered after a reload', async () => {
    const rig = await startRig({ args: ['--use-fake-device-for-media-stream=device-count=2', '--use-fake-ui-for-media-stream'] });
    try {
      const { page } = rig;
      await page.getByTestId('camera-toggle').click();
      await page.locator('[data-testid="camera-panel"][data-status="live"]').waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('camera-video').getAttribute('data-track-label')).toBe('fake_device_0');
      const select = page.getByTestId('camera-select');
      await expect.poll(() => select.locator('option').count()).toBe(3); // the default and the two cameras
      await select.selectOption({ label: 'fake_device_1' });
      await page.locator('[data-testid="camera-video"][data-track-label="fake_device_1"]').waitFor({ timeout: 20_000 });
      await page.locator('[data-testid="camera-panel"][data-status="live"]').waitFor({ timeout: 20_000 });
      const chosen = await select.inputValue();
      expect(chosen).not.toBe('');
      await page.reload();
      await page.locator('[data-testid="camera-video"][data-track-label="fake_device_1"]').waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('camera-select').inputValue()).toBe(chosen);
      // The fake cameras say nothing about facing the user, and offer no light or zoom.
      expect(await page.getByTestId('camera-video').getAttribute('data-mirrored')).toBe('false');
      expect(await page.getByTestId('camera-torch').count()).toBe(0);
      expect(await page.getByTestId('camera-zoom').count()).toBe(0);
    } finally {
      await rig.close();
    }
  }, 120_000);
  it('Settings → Scanners: the camera is turned on there, runs on the Redeem screen, and its state and decoder are shown', async () => {
    const rig = await startRig({ args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
    try {
      const { page } = rig;
      await page.getByTestId('tab-settings').click();
      await page.getByTestId('camera-setting-on').check();
      expect(await page.getByTestId('camera-setting-state').innerText()).toContain('runs while the Redeem screen is showing');
      await page.getByTestId('tab-redeem').click();
      await page.locator('[data-testid="camera-panel"][data-status="live"]').waitFor({ timeout: 20_000 });
      await page.getByTestId('tab-settings').click();
      await expect.poll(() => page.getByTestId('camera-setting-engine').innerText()).toContain('zxing-wasm');
      // With the permission given, the cameras have their names.
      await page.getByTestId('camera-setting-refresh').click();
      await expect.poll(() => page.getByTestId('camera-setting-device').locator('option').allInnerTexts()).toContain('fake_device_0');
      await page.getByTestId('camera-setting-on').uncheck();
      await page.getByTestId('tab-redeem').click();
      expect(await page.getByTestId('camera-panel').getAttribute('data-status')).toBe('off');
    } finally {
      await rig.close();
    }
  }, 120_000);
});
