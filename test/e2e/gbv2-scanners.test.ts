/**
 * GBV2 vouchers through every scanner path, end to end (real core process,
 * browser host, Chromium):
 * - typed at keyboard-wedge speed into the Redeem input, and on another
 *   screen while a checkbox has focus (the code's spaces must not toggle it);
 * - a serial scanner on a socat pty pair, paced at 9600 baud, sending an AIM
 *   identifier before the code;
 * - Chromium's fake camera playing a y4m with a GBV2 QR (alphanumeric mode,
 *   level M) and an inverted one (white on black, a phone in dark mode).
 *
 * The vouchers are the GBV2 conformance vectors (test/fixtures/vectors-v2),
 * sealed to the merchant of its keys.json and judged at its `now`, in 2030:
 * the core process runs with its clock set to that instant (clock-shift.mjs),
 * as a workstation living then.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../preload/contract';
import { composeFrame, invertPng, renderCode, toolsMissing, writeY4m, yuvFrame } from '../fixtures/webcam/frames';
import { socatMissing, startPair, type PtyPair } from '../scanners/socat';
import { tempDir } from '../support/workstation';
import { e2eMissing, startRig, type Rig } from './harness';

const missing = e2eMissing() ?? toolsMissing(['ffmpeg']);
if (missing) console.log(`GBV2 scanner end-to-end tests skipped: ${missing}`);
const noSocat = socatMissing();
if (!missing && noSocat) console.log(`GBV2 through a serial scanner skipped: ${noSocat}`);

const FIXTURES = resolve(__dirname, '..', 'fixtures', 'vectors-v2');
const VECTORS = JSON.parse(readFileSync(join(FIXTURES, 'vectors.json'), 'utf8')) as {
  now: number;
  vectors: { name: string; text: string; expect: string; claims?: { jti: string } }[];
};
function vector(name: string): { text: string; jti: string } {
  const v = VECTORS.vectors.find((x) => x.name === name);
  if (!v || v.expect !== 'VALID' || !v.claims) throw new Error(`no valid vector "${name}"`);
  return { text: v.text, jti: v.claims.jti };
}
// One unit each (no units question), except WEDGE: 7 units, all taken at the question.
const TYPED = vector('gift voucher');
const WEDGE = vector('space right after GBV2: (first Base45 character is a space)');
const SERIAL = vector('p256 kem + es256');
const CAMERA = vector('kind item given explicitly (knd 0)');
const CAMERA_DARK = vector('only the required claims (iss, jti, mid)');

const W = 1280;
const H = 720;
const FPS = 10;
let rig: Rig;
let tmp: { dir: string; cleanup(): void };
let pair: PtyPair | null = null;

async function core<T>(name: string, input: unknown): Promise<T> {
  const o = await rig.core.connection.call(name, input);
  if (!o.ok) throw new Error(`${name}: ${o.error.code}`);
  return o.value as T;
}
const redeemed = async () => (await core<HistoryEntry[]>('ledger.history', { limit: 100 })).filter((e) => e.type === 'redemption').map((e) => e.jti);
const seq = () => rig.page.evaluate(() => document.querySelector('[data-testid="verdict"]')?.getAttribute('data-seq') ?? null);
async function nextVerdict(before: string | null): Promise<string> {
  await rig.page.waitForFunction(
    (prev) => {
      const el = document.querySelector('[data-testid="verdict"]');
      return el && el.getAttribute('data-seq') !== prev && el.getAttribute('data-verdict');
    },
    before,
    { timeout: 20_000 },
  );
  return (await rig.page.getByTestId('verdict').getAttribute('data-verdict'))!;
}

/**
 * Types `text` then Enter as a keyboard-wedge scanner does: every key sent at
 * once, in order (trusted key events, as from a keyboard), not one round trip
 * a key. Playwright's `keyboard.type` awaits each key, and on a busy shared
 * machine the test process itself then stalls between keys for longer than
 * any scanner ever pauses.
 */
async function scannerTypes(page: Page, text: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const vk = (ch: string) => (ch === ' ' ? 32 : ch === '\r' ? 13 : /[A-Z0-9]/.test(ch) ? ch.charCodeAt(0) : 0);
  const sends: Promise<unknown>[] = [];
  for (const ch of [...text, '\r']) {
    const key = ch === '\r' ? 'Enter' : ch;
    const code = ch === '\r' ? 'Enter' : ch === ' ' ? 'Space' : '';
    sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key, code, text: ch, unmodifiedText: ch, windowsVirtualKeyCode: vk(ch) }));
    sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key, code, windowsVirtualKeyCode: vk(ch) }));
  }
  await Promise.all(sends);
  await cdp.detach();
}

/** The camera's video: the GBV2 QR, a pause, the same kind of QR inverted, a pause; looping. */
async function makeVideo(dir: string): Promise<string> {
  const empty = yuvFrame(composeFrame(join(dir, 'empty.png'), { width: W, height: H, seed: 7, blur: 0.6 }), W, H);
  const light = await renderCode('qrcode-alnum', CAMERA.text, join(dir, 'light.png'));
  const dark = invertPng(await renderCode('qrcode-alnum', CAMERA_DARK.text, join(dir, 'dark-src.png')), join(dir, 'dark.png'));
  const frames = [light, dark].flatMap((code, i) => [
    { yuv: yuvFrame(composeFrame(join(dir, `frame-${i}.png`), { width: W, height: H, code, angle: 6, blur: 0.6, seed: 3 + i, fill: 0.7 }), W, H), repeat: 2 * FPS },
    { yuv: empty, repeat: FPS / 2 },
  ]);
  const file = join(dir, 'gbv2.y4m');
  writeY4m(file, W, H, FPS, frames);
  return file;
}

beforeAll(async () => {
  if (missing) return;
  tmp = tempDir('vd-gbv2-scan-');
  const y4m = await makeVideo(tmp.dir);
  rig = await startRig({
    args: ['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`, '--use-fake-ui-for-media-stream'],
    setup: { passphrase: 'owner passphrase 1', bundleJson: readFileSync(join(FIXTURES, 'keys.json'), 'utf8'), settings: { cashier: 'GBV2', sound: false } },
    coreEnv: {
      VD_CLOCK_AT_MS: String(VECTORS.now * 1000),
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(join(__dirname, 'clock-shift.mjs')).href}`.trim(),
    },
  });
  await rig.page.context().grantPermissions(['camera'], { origin: rig.host.url });
  await rig.page.reload();
  await rig.page.locator('[data-testid="keystore-state"][data-state="unlocked"]').waitFor({ timeout: 20_000 });
}, 180_000);
afterAll(async () => {
  await pair?.kill();
  await rig?.close();
  tmp?.cleanup();
});

describe.skipIf(!!missing)('GBV2 vouchers through every scanner (Chromium, real core at the vectors\' time)', () => {
  it('typed at wedge speed into the Redeem input: VALID, redeemed once', async () => {
    const { page } = rig;
    expect(await page.getByTestId('camera-panel').getAttribute('data-status')).toBe('off');
    await page.getByTestId('scan-input').focus();
    const before = await seq();
    await scannerTypes(page, TYPED.text);
    expect(await nextVerdict(before)).toBe('VALID');
    expect(await redeemed()).toEqual([TYPED.jti]);
  }, 60_000);

  it('typed by a wedge while a checkbox on Settings has focus: redeemed, and its spaces never toggled the checkbox', async () => {
    const { page } = rig;
    await page.getByTestId('tab-settings').click();
    const box = page.getByTestId('flash-enabled');
    const checked = await box.isChecked();
    // Every press of the box is counted (an even number of spaces would leave it as it was).
    await box.evaluate((el) => {
      const w = window as unknown as { __boxClicks: number };
      w.__boxClicks = 0;
      el.addEventListener('click', () => w.__boxClicks++);
    });
    await box.focus();
    // The code starts `GBV2: R…`: a space at once, and more inside.
    expect(WEDGE.text.startsWith('GBV2: ')).toBe(true);
    await scannerTypes(page, WEDGE.text);
    // A voucher for 7 units: the question comes first (all that remain by default).
    await page.waitForFunction(() => document.querySelector('[data-testid="units-input"]') || document.querySelector('[data-testid="verdict"]')?.getAttribute('data-verdict'), null, { timeout: 20_000 });
    expect(await page.getByTestId('verdict').getAttribute('data-verdict')).toBe('ASKING');
    await page.getByTestId('units-input').waitFor({ timeout: 5000 });
    expect(await page.getByTestId('redeem-screen').isVisible()).toBe(true);
    const before = await seq();
    await page.keyboard.press('Enter');
    expect(await nextVerdict(before)).toBe('VALID');
    expect(await page.getByTestId('redeem-screen').isVisible()).toBe(true);
    expect(await redeemed()).toContain(WEDGE.jti);
    await page.getByTestId('tab-settings').click();
    expect(await page.getByTestId('flash-enabled').isChecked()).toBe(checked);
    expect(await page.evaluate(() => (window as unknown as { __boxClicks: number }).__boxClicks)).toBe(0);
    const last = page.getByTestId('last-code-keyboard');
    expect(await last.getAttribute('data-format')).toBe('GBV2');
    expect(await last.innerText()).toContain(`GBV2 voucher, ${WEDGE.text.length} characters`);
    await page.getByTestId('tab-redeem').click();
  }, 60_000);

  it.skipIf(!!noSocat)('a serial scanner at 9600 baud, AIM identifier first, CR at the end: VALID', async () => {
    const { page } = rig;
    pair = await startPair(join(tmp.dir, 'ttyScanner'), join(tmp.dir, 'ttyApp'));
    await core('scanners.configure', { serial: { enabled: true, path: pair.app, baudRate: 9600, frameEnd: 'CR', prefix: '', suffix: '' } });
    await page.getByTestId('tab-settings').click();
    await expect.poll(() => page.getByTestId('serial-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('connected');
    await page.getByTestId('tab-redeem').click();
    const before = await seq();
    // 9600 baud 8N1 is 960 bytes a second: 48 bytes every 50 ms.
    const wire = Buffer.from(`]Q1${SERIAL.text}\r`, 'latin1');
    for (let i = 0; i < wire.length; i += 48) {
      pair.write(wire.subarray(i, i + 48));
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await nextVerdict(before)).toBe('VALID');
    expect(await redeemed()).toContain(SERIAL.jti);
    await page.getByTestId('tab-settings').click();
    expect(await page.getByTestId('last-code-serial').getAttribute('data-format')).toBe('GBV2');
    expect(await page.getByTestId('last-code-serial').getAttribute('data-length')).toBe(String(SERIAL.text.length));
    expect(await page.content()).not.toContain(SERIAL.text.slice(5, 40));
    await core('scanners.configure', { serial: { enabled: false } });
    await page.getByTestId('tab-redeem').click();
  }, 60_000);

  it('the fake webcam: a GBV2 QR and an inverted one (white on black) are each redeemed exactly once', async () => {
    const { page } = rig;
    const before = await redeemed();
    await page.getByTestId('camera-toggle').click();
    await page.locator('[data-testid="camera-panel"][data-status="live"]').waitFor({ timeout: 20_000 });
    await expect.poll(async () => (await redeemed()).length, { timeout: 30_000, interval: 250 }).toBe(before.length + 2);
    // Let the 5-second video loop once more: both codes are read again and found already redeemed.
    await page.waitForTimeout(6000);
    const after = await redeemed();
    expect(after.filter((j) => !before.includes(j)).sort()).toEqual([CAMERA.jti, CAMERA_DARK.jti].sort());
    expect(await page.getByTestId('camera-panel').getAttribute('data-engine')).toBe('zxing-wasm');
    await page.getByTestId('camera-toggle').click();
  }, 90_000);
});
