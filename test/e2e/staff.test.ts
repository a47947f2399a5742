import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { e2eMissing, startRig, type Rig } from './harness';

// Issue 13 part 1 in Chromium through a real core and the browser host: the owner
// adds a cashier and a manager; the cashier signs in by PIN and the top bar shows
// her; her undo is refused with a clear message (English, then Chinese) until a
// manager approves by PIN, and the undo is recorded with both names; the idle
// sign-out brings the sign-in panel back, and the manager's badge signs him in.
const missing = e2eMissing();
if (missing) console.log(`End-to-end staff tests skipped: ${missing}`);

const ADMIN = 'owner passphrase 13';
const CASHIER = { name: 'Amy', pin: '2580' };
const MANAGER = { name: 'Max', pin: '1357' };

let rig: Rig;
let issuer: TestIssuer;

async function core<T>(name: string, input: unknown): Promise<T> {
  const out = await rig.core.connection.call(name, input);
  if (!out.ok) throw new Error(`${name} failed: ${out.error.code}`);
  return out.value as T;
}

const byId = (id: string) => rig.page.getByTestId(id);

beforeAll(async () => {
  if (missing) return;
  issuer = await makeTestIssuer();
  rig = await startRig({ setup: { passphrase: ADMIN, bundleJson: issuer.bundleJson, settings: { sound: false } } });
  await rig.page.locator('[data-testid="keystore-state"][data-state="unlocked"]').waitFor({ timeout: 20_000 });
}, 120_000);
afterAll(async () => rig?.close());
beforeEach(async () => {
  if (missing || !rig) return;
  for (let i = 0; i < 3 && (await rig.page.locator('dialog[open]').count()) > 0; i++) await rig.page.keyboard.press('Escape');
});

/** Fills the Staff screen's add form and saves it. */
async function addPerson(name: string, role: 'cashier' | 'manager', pin: string) {
  await byId('staff-add').click();
  await byId('staff-form-name').fill(name);
  await byId('staff-form-role').selectOption(role);
  await byId('staff-form-pin').fill(pin);
  await byId('staff-form-pin-again').fill(pin);
  await byId('staff-form').getByTestId('dialog-ok').click();
}

/** Opens the undo of the newest redemption and submits it with a reason. */
async function startUndo(reason: string) {
  await byId('history-row').first().getByTestId('undo').click();
  await byId('reverse-reason').fill(reason);
  await byId('reverse-dialog').getByTestId('dialog-ok').click();
}

describe.skipIf(!!missing)('staff accounts at the counter (browser host + Chromium)', () => {
  it('the owner adds a cashier and a manager on the Staff screen (the passphrase asked once)', async () => {
    await byId('tab-staff').click();
    await byId('staff-screen').waitFor();
    await addPerson(CASHIER.name, 'cashier', CASHIER.pin);
    await byId('admin-passphrase').fill(ADMIN);
    await rig.page.keyboard.press('Enter');
    await expect.poll(() => byId('staff-notice').innerText(), { timeout: 15_000 }).toBe('Amy was added.');
    // Staff now exist, but the owner who gave the passphrase keeps the counter.
    await expect.poll(() => byId('signed-in').getAttribute('data-state')).toBe('owner');
    await addPerson(MANAGER.name, 'manager', MANAGER.pin);
    await expect.poll(() => byId('staff-notice').innerText(), { timeout: 15_000 }).toBe('Max was added.');
    expect(await byId('admin-dialog').count()).toBe(0);
    const rows = await byId('staff-row').evaluateAll((rs) => rs.map((r) => `${r.getAttribute('data-name')}:${r.getAttribute('data-role')}`));
    expect(rows.sort()).toEqual(['Amy:cashier', 'Max:manager']);
  }, 60_000);

  it('"Switch" shows the sign-in; a wrong PIN is refused; the cashier signs in by PIN and the top bar shows her', async () => {
    await byId('switch-person').click();
    await byId('sign-in').waitFor();
    expect(await byId('tab-redeem').isVisible()).toBe(false); // nothing of the counter until someone signs in
    await byId('sign-in-key-1').click(); // no name picked yet
    await byId('sign-in-key-2').click();
    await byId('sign-in-key-3').click();
    await byId('sign-in-key-4').click();
    await byId('sign-in-key-enter').click();
    expect(await byId('sign-in-error').innerText()).toBe('Pick your name first, then type your PIN (or scan your badge).');
    await rig.page.locator(`[data-testid="sign-in-name"][data-name="${CASHIER.name}"]`).click();
    await byId('sign-in-code').pressSequentially('9999');
    await rig.page.keyboard.press('Enter');
    await expect.poll(() => byId('sign-in-error').innerText(), { timeout: 15_000 }).not.toBe('');
    expect(await byId('sign-in').isVisible()).toBe(true);
    for (const d of CASHIER.pin) await byId(`sign-in-key-${d}`).click();
    await byId('sign-in-key-enter').click();
    await expect.poll(() => byId('signed-in-name').innerText(), { timeout: 15_000 }).toBe('Amy · Cashier');
    expect(await byId('signed-in').getAttribute('data-role')).toBe('cashier');
    await byId('scan-input').waitFor();
  }, 60_000);

  it("the cashier's undo is refused with a clear message (English, Chinese) until a manager approves by PIN; it is recorded with both names", async () => {
    const { text } = await issuer.mint('item', { qty: 1, sku: 'SKU-STAFF' });
    await byId('scan-input').focus();
    await rig.page.keyboard.insertText(text);
    await rig.page.keyboard.press('Enter');
    await expect.poll(() => byId('verdict').getAttribute('data-verdict'), { timeout: 15_000 }).toBe('VALID');
    const eventId = await byId('history-row').first().getAttribute('data-event-id');

    await startUndo('customer changed mind');
    await byId('approve-dialog').waitFor({ timeout: 15_000 });
    expect(await byId('approve-refusal').innerText()).toBe('Your role cannot do this (manager needed): ask a manager or the owner to approve it. Nothing was changed.');
    expect(await byId('approve-dialog').innerText()).toContain('A manager must approve: PIN or badge.');
    await byId('approve-dialog').getByTestId('dialog-cancel').click();
    await byId('approve-dialog').waitFor({ state: 'hidden' });
    await byId('reverse-dialog').getByTestId('dialog-cancel').click(); // and the undo itself
    await byId('reverse-dialog').waitFor({ state: 'hidden' });
    expect(await rig.page.locator(`[data-testid="history-row"][data-event-id="${eventId}"]`).getAttribute('data-reversed')).not.toBe('true');

    await byId('lang').selectOption('zh-CN');
    await expect.poll(() => byId('signed-in-name').innerText()).toBe('Amy · 收银员');
    await startUndo('顾客改变主意');
    await byId('approve-dialog').waitFor({ timeout: 15_000 });
    expect(await byId('approve-refusal').innerText()).toBe('您的角色无权执行此操作（需要店长）：请店长或店主批准。未做任何更改。');
    // Only those who may approve are offered: the manager, not the cashier (the list arrives after the dialog: wait for it).
    await expect.poll(() => byId('approve-name').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-name'))), { timeout: 15_000 }).toEqual([MANAGER.name]);
    await byId('approve-name').first().click();
    await byId('approve-code').fill(MANAGER.pin);
    await rig.page.keyboard.press('Enter');
    await expect
      .poll(() => rig.page.locator(`[data-testid="history-row"][data-event-id="${eventId}"]`).getAttribute('data-reversed'), { timeout: 15_000 })
      .toBe('true');
    expect(await byId('approve-dialog').count()).toBe(0);
    // The cashier is still the one signed in: the approval was for that one undo.
    expect(await byId('signed-in-name').innerText()).toBe('Amy · 收银员');

    const { token } = await core<{ token: string }>('admin.login', { passphrase: ADMIN });
    const audit = await core<{ action: string; actor: string; approver: string | null }[]>('audit.list', { adminToken: token, limit: 50 });
    expect(audit.some((e) => e.actor === CASHIER.name && e.approver === MANAGER.name)).toBe(true);
    await byId('lang').selectOption('en');
  }, 90_000);

  it('the owner reads the audit log on the Staff screen, with the approver', async () => {
    await byId('tab-staff').click();
    await byId('staff-nav-audit').click();
    // Staff screens are the owner's: the cashier is asked for an approval, and the owner gives the passphrase.
    await byId('approve-dialog').waitFor({ timeout: 15_000 });
    // Nothing is offered until the dialog knows who may approve.
    await byId('approve-loading').waitFor({ state: 'detached', timeout: 15_000 });
    // No staff account may approve what needs the owner: the passphrase is asked at once; else it is one click away.
    if (!(await byId('approve-passphrase').isVisible())) await byId('approve-switch').click();
    await byId('approve-passphrase').fill(ADMIN);
    await rig.page.keyboard.press('Enter');
    await byId('audit-table').waitFor({ timeout: 15_000 });
    const approvers = await byId('audit-approver').allInnerTexts();
    expect(approvers).toContain(MANAGER.name);
    await byId('tab-redeem').click();
  }, 60_000);

  it('the idle sign-out brings the sign-in back', async () => {
    const { token } = await core<{ token: string }>('admin.login', { passphrase: ADMIN });
    await core('staff.setIdle', { adminToken: token, minutes: 1 });
    await byId('sign-in').waitFor({ timeout: 100_000 });
    expect(await byId('tab-redeem').isVisible()).toBe(false);
    expect(await byId('signed-in').getAttribute('data-state')).toBe('out');
  }, 120_000);

  it("switching person is one scan: the manager's badge, typed by a wedge scanner into the sign-in, signs him in", async () => {
    const { token } = await core<{ token: string }>('admin.login', { passphrase: ADMIN });
    const people = await core<{ id: string; name: string }[]>('staff.list', {});
    const max = people.find((p) => p.name === MANAGER.name)!;
    const { text } = await core<{ text: string }>('staff.badge', { adminToken: token, id: max.id });
    await byId('sign-in-code').focus();
    await rig.page.keyboard.insertText(text);
    await rig.page.keyboard.press('Enter');
    await expect.poll(() => byId('signed-in-name').innerText(), { timeout: 15_000 }).toBe('Max · Manager');
    await byId('scan-input').waitFor();
  }, 60_000);
});
