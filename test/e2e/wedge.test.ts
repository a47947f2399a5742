/**
 * Scanners in Chromium (browser host, real core process):
 * - a keyboard-wedge scanner "types" a voucher at scanner speed while focus is
 *   on a button of another screen: the app switches to Redeem and redeems it;
 *   the same characters typed at human speed, or into a text field, never scan;
 * - a serial scanner on a socat pty pair: its code reaches the Redeem verdict,
 *   and the Scanners settings show the state and the last code (not its text).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPEAT_WINDOW_MS } from '../../main/core/redeem/repeat';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { socatMissing, startPair, type PtyPair } from '../scanners/socat';
import { e2eMissing, startRig, type Rig } from './harness';

const missing = e2eMissing();
if (missing) console.log(`Scanner end-to-end tests skipped: ${missing}`);
const noSocat = socatMissing();
if (!missing && noSocat) console.log(`Serial scanner in Chromium skipped: ${noSocat}`);

let rig: Rig;
let issuer: TestIssuer;
let pair: PtyPair | null = null;

async function core<T>(name: string, input: unknown): Promise<T> {
  const o = await rig.core.connection.call(name, input);
  if (!o.ok) throw new Error(`${name}: ${o.error.code}`);
  return o.value as T;
}

beforeAll(async () => {
  if (missing) return;
  issuer = await makeTestIssuer();
  rig = await startRig();
  const { token } = await core<{ token: string }>('admin.setup', { passphrase: 'owner passphrase 1' });
  await core('keystore.import', { adminToken: token, fileName: 'bundle.json', content: issuer.bundleJson });
  await rig.page.reload();
  await rig.page.getByTestId('redeem-screen').waitFor();
}, 120_000);
afterAll(async () => {
  await pair?.kill();
  await rig?.close();
});

const seq = () => rig.page.evaluate(() => document.querySelector('[data-testid="verdict"]')?.getAttribute('data-seq') ?? null);
async function nextVerdict(before: string | null): Promise<string> {
  await rig.page.waitForFunction((prev) => {
    const el = document.querySelector('[data-testid="verdict"]');
    return el && el.getAttribute('data-seq') !== prev && el.getAttribute('data-verdict');
  }, before);
  return (await rig.page.getByTestId('verdict').getAttribute('data-verdict'))!;
}
const redeemedCount = async (text: string) => {
  const r = await core<{ verdict: string }>('voucher.verify', { text });
  return r.verdict;
};

describe.skipIf(!!missing)('keyboard-wedge scanner anywhere in the app (Chromium)', () => {
  it('a voucher typed at scanner speed while a button on Settings has focus is redeemed on the Redeem screen', async () => {
    const { page } = rig;
    const { text } = await issuer.mint('item', { qty: 1 });
    await page.getByTestId('tab-settings').click();
    await page.getByTestId('test-sounds').focus();
    const before = await seq();
    await page.keyboard.type(text, { delay: 2 });
    await page.keyboard.press('Enter');
    expect(await nextVerdict(before)).toBe('VALID');
    expect(await page.getByTestId('redeem-screen').isVisible()).toBe(true);
    expect(await redeemedCount(text)).toBe('ALREADY_REDEEMED');
    // The Enter that ended the scan did not press the focused button's neighbours or anything else: one redemption.
    await expect.poll(() => page.getByTestId('history-row').count()).toBe(1);
  }, 60_000);

  it('a suffix-less burst (no Enter) is redeemed too, and the programmed prefix/suffix are removed', async () => {
    const { page } = rig;
    await page.getByTestId('tab-settings').click();
    await page.getByTestId('wedge-prefix').fill('#');
    await page.getByTestId('wedge-suffix').fill('$');
    await page.getByTestId('wedge-apply').click();
    await expect.poll(() => core<{ config: { wedge: { prefix: string } } }>('scanners.status', {}).then((s) => s.config.wedge.prefix)).toBe('#');
    const { text } = await issuer.mint('item', { qty: 1 });
    await page.getByTestId('tab-keys').focus();
    const before = await seq();
    await page.keyboard.type(`#${text}$`, { delay: 2 });
    expect(await nextVerdict(before)).toBe('VALID');
    await page.getByTestId('tab-settings').click();
    const last = page.getByTestId('last-code-keyboard');
    expect(await last.getAttribute('data-kind')).toBe('voucher');
    expect(await last.getAttribute('data-length')).toBe(String(text.length));
    expect(await last.innerText()).toContain(`GBV1 voucher, ${text.length} characters`);
    expect(await page.content()).not.toContain(text.slice(5, 40));
    await page.getByTestId('wedge-prefix').fill('');
    await page.getByTestId('wedge-suffix').fill('');
    await page.getByTestId('wedge-apply').click();
  }, 60_000);

  it('the same characters at human speed, on a button or in a text field, never scan', async () => {
    const { page } = rig;
    const { text } = await issuer.mint('item', { qty: 1 });
    const short = text.slice(0, 12);
    await page.getByTestId('tab-settings').click();
    const before = await seq();
    // A person on a button (their Enter presses it: "Find ports", harmless).
    await page.getByTestId('serial-refresh').focus();
    await page.keyboard.type(short, { delay: 130 });
    await page.keyboard.press('Enter');
    // A person in the cashier name field…
    const cashier = page.getByTestId('settings-cashier');
    await cashier.fill('');
    await cashier.focus();
    await page.keyboard.type(short, { delay: 130 });
    // …and even a scanner-speed burst in a text field stays in the field.
    await cashier.fill('');
    await page.keyboard.type(text, { delay: 2 });
    await page.keyboard.press('Tab');
    await new Promise((r) => setTimeout(r, 500));
    expect(await seq()).toBe(before);
    expect(await page.getByTestId('settings-screen').isVisible()).toBe(true);
    expect(await cashier.inputValue()).toBe(text.slice(0, 64));
    expect(await redeemedCount(text)).toBe('VALID'); // still unredeemed
    await cashier.fill('');

    // Turned off in the scanner settings, a burst on a button is not a scan either.
    await page.getByTestId('wedge-enabled').click();
    await expect.poll(() => core<{ config: { wedge: { enabled: boolean } } }>('scanners.status', {}).then((s) => s.config.wedge.enabled)).toBe(false);
    await page.getByTestId('serial-refresh').focus();
    await page.keyboard.type(text, { delay: 2 });
    await page.keyboard.press('Enter');
    await new Promise((r) => setTimeout(r, 500));
    expect(await seq()).toBe(before);
    expect(await redeemedCount(text)).toBe('VALID');
    await page.getByTestId('wedge-enabled').click();
    await expect.poll(() => page.getByTestId('wedge-enabled').isChecked()).toBe(true);
  }, 60_000);
});

describe.skipIf(!!missing)('sounds, volume and the verdict flash (Chromium)', () => {
  it('the volume is kept; "Test sounds" plays accept, reject and warning at that volume; each verdict flashes its colour once', async () => {
    const { page } = rig;
    await page.evaluate(() => {
      const w = window as unknown as { __played: { src: string; volume: number }[] };
      w.__played = [];
      const real = HTMLMediaElement.prototype.play;
      HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
        w.__played.push({ src: this.src, volume: this.volume });
        return real.call(this).catch(() => undefined);
      };
    });
    await page.getByTestId('tab-settings').click();
    await page.getByTestId('sound-volume').fill('40');
    await expect.poll(() => core<{ config: { feedback: { volume: number } } }>('scanners.status', {}).then((s) => s.config.feedback.volume)).toBe(40);
    await page.getByTestId('test-sounds').click();
    const played = () => page.evaluate(() => (window as unknown as { __played: { src: string; volume: number }[] }).__played);
    await expect.poll(async () => (await played()).length, { timeout: 5000 }).toBe(3);
    const p = await played();
    expect(p.map((x) => x.src.match(/(accept|reject|warning)/)?.[1])).toEqual(['accept', 'reject', 'warning']);
    for (const x of p) expect(x.volume).toBeCloseTo(0.4, 5);

    // A verdict flashes the whole window in its colour, once.
    const flash = page.getByTestId('verdict-flash');
    const { text } = await issuer.mint('item', { qty: 1 });
    await page.getByTestId('tab-redeem').click();
    const before = await seq();
    const flashBefore = Number(await flash.getAttribute('data-seq'));
    await page.getByTestId('scan-input').focus();
    await page.keyboard.insertText(text);
    await page.keyboard.press('Enter');
    expect(await nextVerdict(before)).toBe('VALID');
    expect(await flash.getAttribute('data-tone')).toBe('accept');
    expect(Number(await flash.getAttribute('data-seq'))).toBe(flashBefore + 1);
    await page.waitForTimeout(REPEAT_WINDOW_MS); // at once it would be a double read, kept green
    await page.keyboard.insertText(text);
    await page.keyboard.press('Enter');
    expect(await nextVerdict(await seq())).toBe('ALREADY_REDEEMED');
    await expect.poll(() => flash.getAttribute('data-tone')).toBe('reject');
    // After the fade the flash is gone (it never stays on screen).
    await page.waitForTimeout(600);
    expect(Number(await flash.evaluate((el) => getComputedStyle(el).opacity))).toBe(0);

    // Turned off in the settings: no flash.
    await page.getByTestId('tab-settings').click();
    await page.getByTestId('flash-enabled').click();
    await expect.poll(() => core<{ config: { feedback: { flash: boolean } } }>('scanners.status', {}).then((s) => s.config.feedback.flash)).toBe(false);
    const n = await flash.getAttribute('data-seq');
    await page.getByTestId('test-sounds').click();
    await page.waitForTimeout(2000);
    expect(await flash.getAttribute('data-seq')).toBe(n);
    await page.getByTestId('flash-enabled').click();
  }, 60_000);
});

describe.skipIf(!!missing || !!noSocat)('serial scanner to the Redeem verdict (socat + browser host + Chromium)', () => {
  it('a code written to the scanner end is redeemed on screen; the settings show connected and the last code', async () => {
    const { page } = rig;
    const tmp = join(rig.dataDir, '..');
    pair = await startPair(join(tmp, 'ttyScanner'), join(tmp, 'ttyApp'));
    await page.getByTestId('tab-settings').click();
    await page.getByTestId('serial-port').selectOption({ value: '\u0000other' });
    await page.getByTestId('serial-path').fill(pair.app);
    await page.getByTestId('serial-frame').selectOption('CRLF');
    await page.getByTestId('serial-apply').click();
    await page.getByTestId('serial-enabled').click();
    await expect.poll(() => page.getByTestId('serial-enabled').isChecked()).toBe(true);
    await expect.poll(() => page.getByTestId('serial-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('connected');

    const { text } = await issuer.mint('item', { qty: 1 });
    const before = await seq();
    pair.write(Buffer.from([0x00, 0xff, 0x13]));
    pair.write(text.slice(0, 300));
    pair.write(text.slice(300) + '\r\n');
    expect(await nextVerdict(before)).toBe('VALID');
    expect(await page.getByTestId('redeem-screen').isVisible()).toBe(true);
    // The scanner sends it again at once (a double read): still green, marked scanned twice.
    const first = await seq();
    pair.write(text + '\r\n');
    expect(await nextVerdict(first)).toBe('VALID');
    expect(await page.getByTestId('verdict').getAttribute('data-repeat')).toBe('true');

    await page.getByTestId('tab-settings').click();
    const last = page.getByTestId('last-code-serial');
    expect(await last.getAttribute('data-kind')).toBe('voucher');
    expect(await last.innerText()).toContain(`GBV1 voucher, ${text.length} characters`);
    await expect.poll(() => page.getByTestId('serial-noise').innerText()).toContain('3 bytes');
    expect(await page.content()).not.toContain(text.slice(5, 40));
    if (process.env.VD_SCREENSHOTS) await page.screenshot({ path: join(process.env.VD_SCREENSHOTS, 'scanners-settings.png'), fullPage: true });

    // Unplugged: the screen says it is waiting for the scanner.
    await pair.kill();
    await expect.poll(() => page.getByTestId('serial-state').getAttribute('data-state'), { timeout: 10_000 }).toMatch(/waiting|error/);
    expect(await page.getByTestId('serial-reason').innerText()).toMatch(/unplugged|no device/);
    if (process.env.VD_SCREENSHOTS) await page.screenshot({ path: join(process.env.VD_SCREENSHOTS, 'scanners-unplugged.png'), fullPage: true });
  }, 60_000);
});
