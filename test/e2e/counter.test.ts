/**
 * The counter for a queue (issue 12, items 1-3), in Chromium at 1024×768,
 * 1366×768 and 1920×1080, in English and Simplified Chinese, camera off and on:
 * - the WHOLE verdict (its box, headline, what to hand over or what is left) lies
 *   inside the window after every kind of scan: valid, refused, a PIN, units or
 *   amount question open and then answered; nothing of it is scrolled away, the
 *   question never covers it, and the headline is large;
 * - a double read (a scanner sending the code twice) keeps the green
 *   verdict, says "scanned twice", and never plays the refusal sound;
 * - Enter on the units question takes one unit.
 * One rig (with a fake camera) for the whole file; the sizes and languages are parameters.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../preload/contract';
import { writeY4m } from '../fixtures/webcam/frames';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { tempDir } from '../support/workstation';
import { e2eMissing, startCameraRig, type Rig } from './harness';
import { counter } from './scanning';

const missing = e2eMissing();
if (missing) console.log(`Counter layout end-to-end tests skipped: ${missing}`);

const SIZES = [
  { width: 1024, height: 768 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;
const LANGS = ['en', 'zh-CN'] as const;
const CASES = LANGS.flatMap((lang) => SIZES.map((size) => ({ lang, ...size })));

let rig: Rig;
let issuer: TestIssuer;
/** A voucher redeemed before any scan here: every scan of it is refused (it is never the last redemption made here). */
let used: string;
const tmp = missing ? null : tempDir('vd-counter-');
const { core, seq, nextVerdict } = counter(() => rig);

beforeAll(async () => {
  if (missing) return;
  issuer = await makeTestIssuer();
  // A camera that sees nothing but grey: on, it takes its room on the screen and reads no code.
  const y4m = join(tmp!.dir, 'grey.y4m');
  writeY4m(y4m, 640, 480, 5, [{ yuv: Buffer.alloc((640 * 480 * 3) / 2, 128), repeat: 5 }]);
  rig = await startCameraRig(y4m, {
    setup: { passphrase: 'owner passphrase 12', bundleJson: issuer.bundleJson, settings: { cashier: 'Amy', sound: true } },
  });
  // Every sound the page plays, in order (the audio itself may fail without a device).
  await rig.page.addInitScript(() => {
    const w = window as unknown as { __played: string[] };
    w.__played = [];
    const real = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
      w.__played.push(this.src.match(/(accept|reject|warning)/)?.[1] ?? this.src);
      return real.call(this).catch(() => undefined);
    };
  });
  await rig.page.reload();
  await rig.page.locator('[data-testid="keystore-state"][data-state="unlocked"]').waitFor({ timeout: 20_000 });
  used = (await issuer.mint('item', { qty: 1 })).text;
  await core('voucher.redeem', { text: used });
}, 120_000);
afterAll(async () => {
  await rig?.close();
  tmp?.cleanup();
});

const page = () => rig.page;
const byId = (id: string) => rig.page.getByTestId(id);
const played = () => page().evaluate(() => [...(window as unknown as { __played: string[] }).__played]);

/** Types the code into the scan box and Enter, as a wedge scanner; returns the verdict number before. */
async function scan(text: string): Promise<string | null> {
  const before = await seq();
  await byId('scan-input').focus();
  await page().keyboard.insertText(text);
  await page().keyboard.press('Enter');
  return before;
}

type Box = { x: number; y: number; width: number; height: number };
const inside = (b: Box, o: Box) => b.x >= o.x - 0.5 && b.y >= o.y - 0.5 && b.x + b.width <= o.x + o.width + 0.5 && b.y + b.height <= o.y + o.height + 0.5;
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The verdict on screen, whole, in the window, with nothing of it scrolled away or covered. */
async function verdictInSight(what: string): Promise<void> {
  const { width, height } = page().viewportSize()!;
  const windowBox = { x: 0, y: 0, width, height };
  const label = `${what} at ${width}×${height}`;
  expect(await page().evaluate(() => window.scrollY), label).toBe(0);
  const verdict = (await byId('verdict').boundingBox())!;
  expect(inside(verdict, windowBox), `${label}: verdict ${JSON.stringify(verdict)}`).toBe(true);
  // Its words are all shown: the body does not overflow into a scroll of its own.
  const hidden = await byId('verdict').evaluate((el) => {
    const body = el.querySelector('.verdict__body')!;
    return body.scrollHeight - body.clientHeight;
  });
  expect(hidden, `${label}: verdict text hidden`).toBeLessThanOrEqual(1);
  for (const id of ['verdict-reason', 'verdict-product', 'verdict-left', 'verdict-balance', 'verdict-due', 'verdict-repeat', 'verdict-detail']) {
    const el = byId(id);
    if ((await el.count()) === 0) continue;
    const box = (await el.boundingBox())!;
    expect(inside(box, verdict) && inside(box, windowBox), `${label}: ${id} ${JSON.stringify(box)}`).toBe(true);
  }
  // Readable from arm's length: the headline is large.
  const size = await byId('verdict-reason').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(size, `${label}: headline size`).toBeGreaterThanOrEqual(32);
  // An open question stands beside the verdict, not over it.
  const dialog = page().locator('dialog[open]');
  if ((await dialog.count()) > 0) expect(overlap((await dialog.boundingBox())!, verdict), `${label}: question over the verdict`).toBe(false);
}

async function lastRedemption(): Promise<HistoryEntry> {
  return (await core<HistoryEntry[]>('ledger.history', { limit: 5 })).find((e) => e.type === 'redemption')!;
}

/** Every kind of scan, each followed by the geometry check. */
async function everyKindOfScan(tag: string): Promise<void> {
  // Valid, at once.
  const one = await issuer.mint('item', { qty: 1 });
  expect(await nextVerdict(await scan(one.text))).toBe('VALID');
  await verdictInSight(`${tag} valid`);

  // Refused: already redeemed, with when and by whom (the longest refusal).
  expect(await nextVerdict(await scan(used))).toBe('ALREADY_REDEEMED');
  await verdictInSight(`${tag} refused`);

  // A units question, then Enter: ONE unit of a 10-visit card.
  const card = await issuer.mint('item', { qty: 10 });
  await scan(card.text);
  await byId('units-input').waitFor();
  await verdictInSight(`${tag} units asked`);
  expect(await byId('units-input').inputValue()).toBe('1');
  let before = await seq();
  await page().keyboard.press('Enter');
  expect(await nextVerdict(before)).toBe('VALID');
  expect(await byId('verdict-left').innerText()).toMatch(/9/);
  expect(await lastRedemption()).toMatchObject({ jti: card.jti, units: 1 });
  await verdictInSight(`${tag} units answered`);

  // A PIN question, then the PIN.
  const pin = await issuer.mint('pin', { pin: '2580', qty: 1 });
  await scan(pin.text);
  await byId('pin-input').waitFor();
  await verdictInSight(`${tag} PIN asked`);
  before = await seq();
  await byId('pin-input').fill('2580');
  await page().keyboard.press('Enter');
  expect(await nextVerdict(before)).toBe('VALID');
  await verdictInSight(`${tag} PIN answered`);

  // An amount question; the purchase is more than the balance, so the customer still pays.
  const value = await issuer.mint('value', { val: 5_000, cur: 'CNY', sku: null });
  await scan(value.text);
  await byId('amount-input').waitFor();
  await verdictInSight(`${tag} amount asked`);
  before = await seq();
  await byId('amount-input').fill('62');
  await page().keyboard.press('Enter');
  expect(await nextVerdict(before)).toBe('VALID');
  expect(await byId('verdict-due').count()).toBe(1);
  await verdictInSight(`${tag} amount answered`);
}

describe.skipIf(!!missing)('the counter for a queue (Chromium)', () => {
  it.each(CASES)('$lang at $width×$height: the whole verdict stays in sight after every kind of scan, camera off and on', async ({ lang, width, height }) => {
    await page().setViewportSize({ width, height });
    if ((await byId('lang').inputValue()) !== lang) await byId('lang').selectOption(lang);
    await expect.poll(() => byId('tab-redeem').innerText()).toBe(lang === 'en' ? 'Redeem' : '核销');
    await byId('tab-redeem').click();

    await everyKindOfScan(`${lang} camera off`);

    // Camera on, and a member selected for the next redemption.
    const { member } = await core<{ member: { id: string } }>('crm.memberAdd', { name: `Li Lei ${width} ${lang}`, allowDuplicate: true });
    await core('crm.counterSelect', { memberId: member.id });
    await byId('camera-toggle').click();
    await page().locator('[data-testid="camera-panel"][data-status="live"]').waitFor({ timeout: 20_000 });
    await everyKindOfScan(`${lang} camera on`);
    await byId('camera-toggle').click();
    await page().locator('[data-testid="camera-panel"][data-status="off"]').waitFor();
  }, 120_000);

  it('a double read within the window keeps the green verdict, says scanned twice, and plays no refusal sound', async () => {
    await page().setViewportSize({ width: 1366, height: 768 });
    for (const lang of LANGS) {
      if ((await byId('lang').inputValue()) !== lang) await byId('lang').selectOption(lang);
      const { text, jti } = await issuer.mint('item', { qty: 1 });
      await byId('scan-input').focus();
      const soundsBefore = (await played()).length;
      const before = await seq();
      // A scanner sends the code twice in a row: the second read comes while the first is checked.
      await byId('scan-input').focus();
      await page().keyboard.insertText(text);
      await page().keyboard.press('Enter');
      await page().keyboard.insertText(text);
      await page().keyboard.press('Enter');
      await page()
        .waitForFunction(
          (prev) => {
            const el = document.querySelector('[data-testid="verdict"]');
            return el && el.getAttribute('data-seq') !== prev && el.getAttribute('data-repeat') === 'true';
          },
          before,
          { timeout: 15_000 },
        )
        .catch(async (e: unknown) => {
          const shown = await byId('verdict').evaluate((el) => `${el.getAttribute('data-verdict')} seq ${el.getAttribute('data-seq')}: ${(el as HTMLElement).innerText}`);
          throw new Error(`no repeat verdict; on screen: ${shown}`, { cause: e });
        });
      // The cashier, unsure, pastes it again and presses Enter twice: still green (the empty second Enter does nothing).
      const again = await scan(text);
      await page().keyboard.press('Enter');
      expect(await nextVerdict(again)).toBe('VALID');
      expect(await byId('verdict').getAttribute('data-repeat')).toBe('true');
      expect(await byId('verdict-repeat').innerText()).toBe(lang === 'en' ? 'Scanned twice: this is the redemption just made, nothing more was taken' : '重复扫码：这是刚才的核销，没有再次扣除');
      await verdictInSight(`${lang} scanned twice`);
      const sounds = (await played()).slice(soundsBefore);
      expect(sounds).not.toContain('reject');
      expect(sounds).toContain('accept');
      expect((await core<HistoryEntry[]>('ledger.history', { limit: 20 })).filter((e) => e.jti === jti)).toHaveLength(1);
    }
  }, 60_000);
});
