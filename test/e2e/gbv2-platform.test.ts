/**
 * GBV2 vouchers minted by the reference server (its admin mint: what
 * `npm run server -- mint` runs, GBV2 by default), redeemed at a workstation
 * set up with the device's sealed bundle, through each scanner path: typed at
 * keyboard-wedge speed, a serial scanner at 9600 baud on a socat pty pair, and
 * Chromium's fake camera (a QR and an inverted one). The conformance vectors
 * go the same ways in gbv2-scanners.test.ts; these are the platform's own.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolsMissing } from '../fixtures/webcam/frames';
import { socatMissing, startPair, type PtyPair } from '../scanners/socat';
import { BUNDLE_PASSPHRASE, makePlatform } from '../sync/support';
import { tempDir } from '../support/workstation';
import { e2eMissing, startCameraRig, type Rig } from './harness';
import { counter, lightAndDarkVideo, scannerTypes, writePaced } from './scanning';

const missing = e2eMissing() ?? toolsMissing(['ffmpeg']);
if (missing) console.log(`Platform GBV2 end-to-end tests skipped: ${missing}`);
const noSocat = socatMissing();
if (!missing && noSocat) console.log(`Platform GBV2 through a serial scanner skipped: ${noSocat}`);

let rig: Rig;
let tmp: { dir: string; cleanup(): void };
let pair: PtyPair | null = null;
let vouchers: string[] = [];
const { core, redeemed, seq, nextVerdict } = counter(() => rig);

beforeAll(async () => {
  if (missing) return;
  tmp = tempDir('vd-gbv2-platform-');
  const p = await makePlatform(tmp.dir, { vouchers: 4 });
  vouchers = p.vouchers;
  const y4m = await lightAndDarkVideo(tmp.dir, vouchers[2]!, vouchers[3]!);
  rig = await startCameraRig(y4m, {
    setup: { passphrase: 'owner passphrase 1', bundleJson: p.bundles.B01!, bundlePassphrase: BUNDLE_PASSPHRASE, settings: { cashier: 'Amy', sound: false } },
  });
}, 180_000);
afterAll(async () => {
  await pair?.kill();
  await rig?.close();
  tmp?.cleanup();
});

describe.skipIf(!!missing)('GBV2 vouchers minted by the reference server, through every scanner (Chromium)', () => {
  it('the platform mints GBV2 by default, at most 380 characters', () => {
    expect(vouchers).toHaveLength(4);
    for (const v of vouchers) {
      expect(v.startsWith('GBV2:')).toBe(true);
      expect(v.length).toBeLessThanOrEqual(380);
    }
  });

  it('typed at wedge speed: VALID, then already redeemed', async () => {
    const { page } = rig;
    await page.getByTestId('scan-input').focus();
    let before = await seq();
    await scannerTypes(page, vouchers[0]!);
    expect(await nextVerdict(before)).toBe('VALID');
    expect(await redeemed()).toHaveLength(1);
    // The same voucher again, after the double-read window of a scanner: refused.
    await page.waitForTimeout(5000);
    before = await seq();
    await scannerTypes(page, vouchers[0]!);
    expect(await nextVerdict(before)).toBe('ALREADY_REDEEMED');
    expect(await redeemed()).toHaveLength(1);
  }, 60_000);

  it.skipIf(!!noSocat)('a serial scanner at 9600 baud: VALID', async () => {
    const { page } = rig;
    pair = await startPair(join(tmp.dir, 'ttyScanner'), join(tmp.dir, 'ttyApp'));
    await core('scanners.configure', { serial: { enabled: true, path: pair.app, baudRate: 9600, frameEnd: 'CR', prefix: '', suffix: '' } });
    await page.getByTestId('tab-settings').click();
    await expect.poll(() => page.getByTestId('serial-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('connected');
    await page.getByTestId('tab-redeem').click();
    const before = await seq();
    await writePaced(pair, Buffer.from(`${vouchers[1]}\r`, 'latin1'));
    expect(await nextVerdict(before)).toBe('VALID');
    expect(await redeemed()).toHaveLength(2);
    await core('scanners.configure', { serial: { enabled: false } });
  }, 60_000);

  it('the fake webcam: the platform\'s QR and an inverted one are each redeemed exactly once', async () => {
    const { page } = rig;
    const before = (await redeemed()).length;
    await page.getByTestId('camera-toggle').click();
    await page.locator('[data-testid="camera-panel"][data-status="live"]').waitFor({ timeout: 20_000 });
    await expect.poll(async () => (await redeemed()).length, { timeout: 30_000, interval: 250 }).toBe(before + 2);
    await page.waitForTimeout(6000); // the video loops: both codes are read again and refused as used
    expect((await redeemed()).length).toBe(before + 2);
    await page.getByTestId('camera-toggle').click();
  }, 90_000);
});
