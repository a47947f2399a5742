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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolsMissing } from '../fixtures/webcam/frames';
import { socatMissing, startPair, type PtyPair } from '../scanners/socat';
import { tempDir } from '../support/workstation';
import { e2eMissing, startCameraRig, type Rig } from './harness';
import { counter, lightAndDarkVideo, scannerTypes, writePaced } from './scanning';

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

let rig: Rig;
let tmp: { dir: string; cleanup(): void };
let pair: PtyPair | null = null;

const { core, redeemed, seq, nextVerdict } = counter(() => rig);

beforeAll(async () => {
  if (missing) return;
  tmp = tempDir('vd-gbv2-scan-');
  const y4m = await lightAndDarkVideo(tmp.dir, CAMERA.text, CAMERA_DARK.text);
  rig = await startCameraRig(y4m, {
    setup: { passphrase: 'owner passphrase 1', bundleJson: readFileSync(join(FIXTURES, 'keys.json'), 'utf8'), settings: { cashier: 'GBV2', sound: false } },
    coreEnv: {
      VD_CLOCK_AT_MS: String(VECTORS.now * 1000),
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(join(__dirname, 'clock-shift.mjs')).href}`.trim(),
    },
  });
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
    const asked = await seq();
    await scannerTypes(page, WEDGE.text);
    // A voucher for 7 units: the question comes first. Wait for it, or for a verdict newer
    // than the one already on screen (the previous test's VALID must not count).
    await page.waitForFunction(
      (prev) => document.querySelector('[data-testid="units-input"]') || document.querySelector(`[data-testid="verdict"]:not([data-seq="${prev}"])`)?.getAttribute('data-verdict'),
      asked,
      { timeout: 20_000 },
    );
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
    await writePaced(pair, Buffer.from(`]Q1${SERIAL.text}\r`, 'latin1'));
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
