/**
 * The core process after a restart of a workstation whose database key is
 * sealed with the admin passphrase: it starts, answers what the window loads
 * at start, refuses the rest as locked, and opens on the right passphrase.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoreChild } from '../../../main/host/core-child';
import { ADMIN_PASSPHRASE, callOk, newWorkstation } from '../../support/workstation';
import { importMembers, membersCsv } from './support';

let ws: Awaited<ReturnType<typeof newWorkstation>>;
beforeAll(async () => {
  ws = await newWorkstation();
  await importMembers(ws.core, membersCsv(4).csv);
  await callOk(ws.core, 'settings.set', { locale: 'zh-CN' });
  ws.core.close();
});
afterAll(() => ws.cleanup());

describe('the core process of an encrypted workstation', () => {
  it('starts locked, answers the start-up calls (in the shop\'s language), and opens with the admin passphrase', async () => {
    const core = await startCoreChild({ dataDir: ws.dir });
    try {
      expect(await core.connection.call('app.info', {})).toMatchObject({ ok: true, value: { keystore: 'locked', adminConfigured: true } });
      // The unlock panel speaks the shop's language, kept beside the database.
      expect(await core.connection.call('settings.get', {})).toMatchObject({ ok: true, value: { locale: 'zh-CN' } });
      expect(await core.connection.call('crm.search', { q: 'Zhaoxue' })).toMatchObject({ ok: false, error: { code: 'keystore.locked' } });
      expect(await core.connection.call('voucher.redeem', { text: 'x' })).toMatchObject({ ok: false, error: { code: 'keystore.locked' } });
      expect(await core.connection.call('keystore.unlock', { passphrase: 'not the passphrase' })).toMatchObject({
        ok: false,
        error: { code: 'admin.wrongPassphrase' },
      });
      expect(await core.connection.call('keystore.unlock', { passphrase: ADMIN_PASSPHRASE })).toMatchObject({ ok: true, value: { state: 'unlocked' } });
      expect(await core.connection.call('app.info', {})).toMatchObject({ ok: true, value: { keystore: 'unlocked', device: 'TEST-POS' } });
      const found = await core.connection.call('crm.search', { q: 'Zhaoxue' });
      expect(found.ok && (found.value as { rows: unknown[] }).rows.length).toBe(4);
    } finally {
      await core.stop();
    }
  }, 120_000);
});
