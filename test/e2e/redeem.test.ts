import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPEAT_WINDOW_MS } from '../../main/core/redeem/repeat';
import { sealBundle } from '../../server/issuer/bundle';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { e2eMissing, startRig, type Rig } from './harness';

// Issue 2 at the counter: a real core process, the browser host and Chromium.
const missing = e2eMissing();
if (missing) console.log(`End-to-end redemption tests skipped: ${missing}`);

const ADMIN = 'owner passphrase 1';
let rig: Rig;
let issuer: TestIssuer;

beforeAll(async () => {
  if (missing) return;
  issuer = await makeTestIssuer();
  rig = await startRig();
  await rig.core.connection.call('settings.set', { cashier: 'Amy' });
}, 120_000);
afterAll(async () => rig?.close());

async function scan(text: string) {
  const { page } = rig;
  const before = await page.evaluate(() => document.querySelector('[data-testid="verdict"]')?.getAttribute('data-seq') ?? null);
  const input = page.getByTestId('scan-input');
  await input.focus();
  await page.keyboard.insertText(text); // a keyboard-wedge scanner types the whole code…
  await page.keyboard.press('Enter'); // …and ends it with Enter
  await page.waitForFunction((prev) => {
    const el = document.querySelector('[data-testid="verdict"]');
    return el && el.getAttribute('data-seq') !== prev && el.getAttribute('data-verdict');
  }, before);
}
const verdict = () => rig.page.getByTestId('verdict').getAttribute('data-verdict');
const reason = () => rig.page.getByTestId('verdict-reason').innerText();

describe.skipIf(!!missing)('redeeming at the counter (browser host, Chromium)', () => {
  it('the admin sets a passphrase and imports the sealed bundle on the Keys screen', async () => {
    const { page } = rig;
    const file = join(rig.dataDir, '..', 'M-TEST.bundle.jwe');
    writeFileSync(file, await sealBundle(issuer.bundleJson, 'from the platform', { p2c: 1000 }));
    await page.getByTestId('tab-keys').click();
    await page.getByTestId('setup-passphrase').fill(ADMIN);
    await page.getByTestId('setup-passphrase2').fill(ADMIN);
    await page.getByTestId('setup-submit').click();
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('bundle-passphrase').fill('wrong passphrase');
    await page.getByTestId('import-submit').click();
    await expect.poll(() => page.getByTestId('import-error').innerText()).toMatch(/passphrase/i);
    expect(await page.getByTestId('key-row').count()).toBe(0);
    await page.getByTestId('bundle-passphrase').fill('from the platform');
    await page.getByTestId('import-submit').click();
    await expect.poll(() => page.getByTestId('key-row').count()).toBe(3);
    const kids = await page.getByTestId('key-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kid')));
    expect(kids.sort()).toEqual(['gb-test-1', 'm-test-enc', 'm-test-sig']);
    await expect.poll(() => page.getByTestId('merchant-label').innerText()).toContain('Test Shop');
    await page.getByTestId('tab-redeem').click();
  });

  it('a valid voucher turns green; scanned again it is red with when and by whom', async () => {
    const { text } = await issuer.mint('item', { qty: 1, sku: 'SKU-88' });
    await scan(text);
    expect(await verdict()).toBe('VALID');
    await expect.poll(() => rig.page.getByTestId('history-row').count()).toBe(1);
    await rig.page.waitForTimeout(REPEAT_WINDOW_MS); // at once it would be a double read, kept green
    await scan(text);
    expect(await verdict()).toBe('ALREADY_REDEEMED');
    const words = await reason();
    expect(words).toMatch(/Already redeemed at \d{1,2}:\d{2}/);
    expect(words).toContain('Amy');
    expect(words).toContain('B01');
    // The input is ready for the next scan.
    expect(await rig.page.getByTestId('scan-input').inputValue()).toBe('');
    expect(await rig.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('scan-input');
  });

  it('garbage is "not a voucher"', async () => {
    await scan('6901234567892');
    expect(await verdict()).toBe('MALFORMED');
    expect(await reason()).toMatch(/not a voucher/i);
  });

  it('a PIN voucher asks for the PIN; a wrong one is refused, the right one redeems', async () => {
    const { page } = rig;
    const { text } = await issuer.mint('pin', { pin: '4821' });
    await scan(text);
    await page.getByTestId('pin-input').waitFor();
    await page.getByTestId('pin-input').fill('1111');
    await page.keyboard.press('Enter');
    await expect.poll(() => verdict()).toBe('PIN_WRONG');
    await page.getByTestId('pin-input').waitFor();
    await page.getByTestId('pin-input').fill('4821');
    await page.keyboard.press('Enter');
    await expect.poll(() => verdict()).toBe('VALID');
  });

  it('the owner undoes a redemption with the admin passphrase; the voucher can be used again', async () => {
    const { page } = rig;
    await page.reload(); // forget the admin login from the set-up step
    await page.getByTestId('scan-input').waitFor();
    const { text } = await issuer.mint('item', { qty: 1, sku: 'SKU-UNDO' });
    await scan(text);
    expect(await verdict()).toBe('VALID');
    const row = page.getByTestId('history-row').first();
    const eventId = await row.getAttribute('data-event-id');
    await row.getByTestId('undo').click();
    await page.getByTestId('admin-passphrase').fill('not the passphrase');
    await page.getByTestId('dialog-ok').click();
    await expect.poll(() => page.getByTestId('dialog-error').innerText()).toMatch(/wrong/i);
    await page.getByTestId('admin-passphrase').fill(ADMIN);
    await page.getByTestId('dialog-ok').click();
    await page.getByTestId('reverse-reason').fill('customer changed mind');
    await page.getByTestId('dialog-ok').click();
    await expect.poll(() => page.locator(`[data-testid="history-row"][data-event-id="${eventId}"]`).getAttribute('data-reversed')).toBe('true');
    await scan(text);
    expect(await verdict()).toBe('VALID');
  });

  it('after a restart the key store is locked, the screen asks for the passphrase, and scanning works after unlocking', async () => {
    const { page } = rig;
    await rig.core.connection.call('keystore.lock', {});
    await page.reload();
    const { text } = await issuer.mint('item');
    await scan(text);
    expect(await verdict()).toBe('KEYSTORE_LOCKED');
    await page.getByTestId('unlock-passphrase').fill(ADMIN);
    await page.getByTestId('unlock-submit').click();
    await expect.poll(() => page.getByTestId('keystore-state').innerText()).toMatch(/ready/i);
    await scan(text);
    expect(await verdict()).toBe('VALID');
  });
});
