import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry, RedeemResult } from '../../preload/contract';
import { restoreInto } from '../../main/core/backup/restore';
import { createCore } from '../../main/core/services';
import { createLogger } from '../../main/core/log';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { tempDir } from '../support/workstation';
import { e2eMissing, startRig, type Rig } from './harness';

// Issue 13 part 6 in Chromium through a real core and the browser host: a
// backup made from the Settings screen, checked there (a wrong passphrase in
// plain words; the restore asks before it replaces anything), then restored
// through the core into a fresh data folder and compared event by event.
const missing = e2eMissing();
if (missing) console.log(`End-to-end backup tests skipped: ${missing}`);

const ADMIN = 'owner passphrase 12';
const PASS = 'backup passphrase 9';
let rig: Rig;
let issuer: TestIssuer;
const out = tempDir('vd-e2e-backup-');

async function core<T>(name: string, input: unknown): Promise<T> {
  const r = await rig.core.connection.call(name, input);
  if (!r.ok) throw new Error(`${name} failed: ${r.error.code}`);
  return r.value as T;
}

beforeAll(async () => {
  if (missing) return;
  issuer = await makeTestIssuer();
  rig = await startRig({ setup: { passphrase: ADMIN, bundleJson: issuer.bundleJson, settings: { cashier: 'Amy', sound: false } } });
  await rig.page.locator('[data-testid="keystore-state"][data-state="unlocked"]').waitFor({ timeout: 20_000 });
}, 120_000);
afterAll(async () => {
  await rig?.close();
  out.cleanup();
});

const byId = (id: string) => rig.page.getByTestId(id);

async function approveIfAsked() {
  const dialog = byId('admin-dialog');
  if (await dialog.isVisible().catch(() => false)) {
    await byId('admin-passphrase').fill(ADMIN);
    await rig.page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
  }
}

describe.skipIf(!!missing)('whole-workstation backup (browser host + Chromium)', () => {
  it('backs up from Settings, checks the file there, and the core restores it into a fresh data dir with the same events', async () => {
    const used = (await issuer.mint('item', { qty: 1 })).text;
    expect((await core<RedeemResult>('voucher.redeem', { text: used })).verdict).toBe('VALID');
    expect((await core<RedeemResult>('voucher.redeem', { text: (await issuer.mint('item', { qty: 2 })).text, units: 1 })).verdict).toBe('VALID');

    await byId('tab-settings').click();
    await byId('backup-section').waitFor();
    await expect(byId('backup-last').innerText()).resolves.toMatch(/No backup yet/);
    const stick = join(out.dir, 'stick');
    mkdirSync(stick);
    await byId('backup-path').fill(stick);
    await byId('backup-passphrase').fill(PASS);
    await byId('backup-now').click();
    await byId('admin-dialog').waitFor();
    await approveIfAsked();
    await byId('backup-result').waitFor();
    expect(await byId('backup-result').innerText()).toMatch(/Backup written: .*\.vdbackup \(2 redemptions/);
    const files = readdirSync(stick);
    expect(files).toHaveLength(1);
    const file = join(stick, files[0]!);
    await expect(byId('backup-last').innerText()).resolves.toMatch(/on demand: written to/);

    // Checked on the screen: a wrong passphrase says so; the right one tells whose backup it is.
    await byId('backup-file').fill(file);
    await byId('backup-file-passphrase').fill('not the passphrase');
    await byId('backup-verify').click();
    await approveIfAsked();
    await expect(byId('backup-file-status').innerText()).resolves.toBe('Wrong backup passphrase. Nothing was changed.');
    await byId('backup-file-passphrase').fill(PASS);
    await byId('backup-verify').click();
    await approveIfAsked();
    await rig.page.waitForFunction(() => /The file is intact/.test(document.querySelector('[data-testid="backup-file-status"]')?.textContent ?? ''));
    expect(await byId('backup-file-status').innerText()).toMatch(/2 redemptions and undos/);
    // Restore asks first, and says what it replaces; cancelled here: nothing is staged.
    await byId('backup-restore').click();
    expect(await byId('backup-confirm').innerText()).toMatch(/will be replaced by the backup of .* kept in a folder named voucherdesk-before-restore-/);
    await rig.page.getByRole('button', { name: 'Cancel' }).click();
    expect(await byId('backup-confirm').count()).toBe(0);
    expect(await byId('backup-staged').count()).toBe(0);

    // The replaced PC: the core restores the file into an empty data folder.
    const fresh = join(out.dir, 'new-pc');
    const r = await restoreInto(fresh, readFileSync(file), PASS, { os: null, replace: false, now: Date.now() });
    expect(r.summary.events).toBe(2);
    const restored = await createCore({ dataDir: fresh, protector: { mode: 'passphrase' }, logger: createLogger(fresh), passphrase: ADMIN });
    try {
      const before = await core<HistoryEntry[]>('ledger.history', { limit: 100 });
      const after = await restored.invoke('ledger.history', { limit: 100 });
      expect(after).toEqual(before);
      await restored.invoke('keystore.unlock', { passphrase: ADMIN });
      expect((await restored.invoke('voucher.redeem', { text: used })).verdict).toBe('ALREADY_REDEEMED');
    } finally {
      restored.close();
    }
  }, 120_000);
});
