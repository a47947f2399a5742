/**
 * The cashier name, recorded with every redemption, is the admin's to change
 * once an admin passphrase is set (the way other admin settings are); the
 * language and the sound stay anyone's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../preload/contract';
import type { Core } from '../../main/core/services';
import { callErr, callOk, newWorkstation, openWorkstation, tempDir } from '../support/workstation';

describe('cashier name', () => {
  let ws: Awaited<ReturnType<typeof newWorkstation>>;
  beforeAll(async () => {
    ws = await newWorkstation({ keysFile: null });
  });
  afterAll(() => ws.cleanup());

  it('without an admin token the change is refused and the name stays', async () => {
    await callOk(ws.core, 'settings.set', { adminToken: ws.token, cashier: 'Amy' });
    expect(await callErr(ws.core, 'settings.set', { cashier: 'Mallory' })).toMatchObject({ code: 'admin.required' });
    expect(await callErr(ws.core, 'settings.set', { adminToken: 'not-a-token', cashier: 'Mallory' })).toMatchObject({ code: 'admin.required' });
    expect((await callOk<Settings>(ws.core, 'settings.get', {})).cashier).toBe('Amy');
  });

  it('with the admin token it changes; language and sound need none', async () => {
    expect((await callOk<Settings>(ws.core, 'settings.set', { adminToken: ws.token, cashier: ' Bo ' })).cashier).toBe('Bo');
    expect(await callOk<Settings>(ws.core, 'settings.set', { locale: 'zh-CN', sound: false })).toMatchObject({ locale: 'zh-CN', sound: false });
  });
});

describe('cashier name before any admin passphrase is set', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  beforeAll(async () => {
    tmp = tempDir();
    core = await openWorkstation(tmp.dir);
  });
  afterAll(() => {
    core.close();
    tmp.cleanup();
  });

  it('a first-run workstation has no admin to ask: the name can be set', async () => {
    expect((await callOk<Settings>(core, 'settings.set', { cashier: 'Amy' })).cashier).toBe('Amy');
  });
});
