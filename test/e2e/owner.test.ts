import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { e2eMissing, startRig, type Rig } from './harness';

// Issue 12, items 6, 7, 8 and 10 in Chromium through a real core and the browser
// host: scans that are no voucher say why, the owner's screens speak the shop's
// language (money in yuan), Settings has one sound section and guards the cashier
// name, and the unlock panel locks out after repeated wrong passphrases.
const missing = e2eMissing();
if (missing) console.log(`End-to-end owner screen tests skipped: ${missing}`);

const ADMIN = 'owner passphrase 12';

let rig: Rig;
let issuer: TestIssuer;

async function core<T>(name: string, input: unknown): Promise<T> {
  const out = await rig.core.connection.call(name, input);
  if (!out.ok) throw new Error(`${name} failed: ${out.error.code}`);
  return out.value as T;
}

beforeAll(async () => {
  if (missing) return;
  issuer = await makeTestIssuer();
  rig = await startRig({ setup: { passphrase: ADMIN, bundleJson: issuer.bundleJson, settings: { cashier: 'Amy', sound: false } } });
  await rig.page.locator('[data-testid="keystore-state"][data-state="unlocked"]').waitFor({ timeout: 20_000 });
}, 120_000);
afterAll(async () => rig?.close());
beforeEach(async () => {
  if (missing || !rig) return;
  for (let i = 0; i < 3 && (await rig.page.locator('dialog[open]').count()) > 0; i++) await rig.page.keyboard.press('Escape');
});

const byId = (id: string) => rig.page.getByTestId(id);

/** Puts the text in the scan box in one go (a paste), then Enter; waits for the next verdict. */
async function paste(text: string) {
  const before = await rig.page.evaluate(() => Number(document.querySelector('[data-testid="verdict"]')?.getAttribute('data-seq') ?? 0));
  await byId('scan-input').focus();
  await rig.page.keyboard.insertText(text);
  await rig.page.keyboard.press('Enter');
  await rig.page.waitForFunction((prev) => Number(document.querySelector('[data-testid="verdict"]')?.getAttribute('data-seq') ?? 0) > prev, before);
  return { verdict: await byId('verdict').getAttribute('data-verdict'), reason: await byId('verdict-reason').innerText() };
}

/** Answers the admin passphrase dialog when it is asked (a token may still be held). */
async function approveIfAsked() {
  const dialog = byId('admin-dialog');
  if (await dialog.isVisible().catch(() => false)) {
    await byId('admin-passphrase').fill(ADMIN);
    await rig.page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
  }
}

describe.skipIf(!!missing)('owner screens and messages (browser host + Chromium)', () => {
  it('a 100 KB paste says "not a voucher (too long)"; a voucher cut short says "incomplete scan"', async () => {
    await byId('tab-redeem').click();
    const big = await paste('x'.repeat(100 * 1024));
    expect(big).toEqual({ verdict: 'MALFORMED', reason: 'This is not a voucher (too long)' });
    const { text } = await issuer.mint('item', { qty: 1 });
    const cut = await paste(text.slice(0, Math.floor(text.length * 0.6)));
    expect(cut).toEqual({ verdict: 'MALFORMED', reason: 'Incomplete scan: scan again' });
  }, 60_000);

  it('Settings: one sound section, and the cashier name changes only with the admin passphrase', async () => {
    await byId('tab-settings').click();
    await byId('settings-screen').waitFor();
    expect(await byId('settings-sound').count()).toBe(1);
    expect(await byId('feedback-settings').getByTestId('settings-sound').count()).toBe(1);
    expect(await rig.page.getByText(/^Sound$/).count()).toBe(0); // the old second section's heading
    expect(await rig.page.getByRole('button', { name: /test (accept|reject) sound/i }).count()).toBe(0);

    await byId('settings-cashier').fill('Zoe');
    await byId('settings-cashier-save').click();
    await byId('admin-dialog').waitFor();
    await rig.page.keyboard.press('Escape'); // no passphrase: nothing changes
    await byId('admin-dialog').waitFor({ state: 'hidden' });
    expect((await core<{ cashier: string }>('settings.get', {})).cashier).toBe('Amy');
    await byId('settings-cashier-save').click();
    await byId('admin-passphrase').fill(ADMIN);
    await rig.page.keyboard.press('Enter');
    await expect.poll(() => byId('settings-cashier-status').innerText(), { timeout: 15_000 }).toBe('Saved.');
    expect((await core<{ cashier: string }>('settings.get', {})).cashier).toBe('Zoe');
  }, 60_000);

  it('referral rules: the spend threshold is typed in yuan and stored in fen', async () => {
    await byId('tab-members').click();
    await byId('crm-nav-rules').click();
    const spend = byId('crm-rules-spend');
    await spend.waitFor();
    expect(await spend.inputValue()).toBe('500.00'); // the default 50000 fen
    await spend.fill('1,234.5');
    await byId('crm-rules-save').click();
    await approveIfAsked();
    await byId('crm-rules-saved').waitFor({ timeout: 15_000 });
    expect((await core<{ spend: number }>('crm.rulesGet', {})).spend).toBe(123_450);
    await spend.fill('12.345');
    expect(await byId('crm-rules-spend-problem').innerText()).toContain('2 decimal');
  }, 60_000);

  it('the unlock panel: after 5 wrong passphrases even the right one waits, in the screen language', async () => {
    await byId('tab-redeem').click();
    await byId('lock').click();
    const field = byId('unlock-passphrase');
    await field.waitFor();
    for (let i = 0; i < 5; i++) {
      await field.fill(`wrong ${i}`);
      await byId('unlock-submit').click();
      await expect.poll(() => field.inputValue(), { timeout: 15_000 }).toBe(''); // the panel empties the field with each answer
      expect(await byId('unlock-error').innerText()).toBe('Wrong admin passphrase.');
    }
    await field.fill(ADMIN);
    await byId('unlock-submit').click();
    await expect.poll(() => byId('unlock-error').innerText(), { timeout: 15_000 }).toMatch(/^Too many wrong admin passphrases\. Wait (30|29|28) seconds, then try again\.$/);
    expect((await core<{ state: string }>('keystore.view', {})).state).toBe('locked');

    await core('settings.set', { locale: 'zh-CN' });
    await rig.page.reload();
    await byId('unlock-passphrase').fill(ADMIN);
    await byId('unlock-submit').click();
    await expect.poll(() => byId('unlock-error').innerText(), { timeout: 15_000 }).toMatch(/^管理员口令错误次数过多。请等待 \d+ 秒后再试。$/);
  }, 60_000);
});
