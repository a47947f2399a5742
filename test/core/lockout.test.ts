/**
 * The admin passphrase lockout: five wrong entries in a row, then every entry
 * (the right one too) waits 30 s, doubling with each wrong entry after that;
 * unlock and admin login count alike, and a restart does not reset the count.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_WAIT_SECONDS, waitSeconds } from '../../main/core/lockout';
import { createCore, type Core } from '../../main/core/services';
import { ADMIN_PASSPHRASE, callErr, callOk, newWorkstation, openWorkstation } from '../support/workstation';

const T0 = Date.UTC(2026, 10, 30, 9, 0, 0);

let ws: Awaited<ReturnType<typeof newWorkstation>>;
let core: Core;
beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  ws = await newWorkstation({ keysFile: null });
  core = ws.core;
});
afterEach(() => {
  core.close();
  ws.cleanup();
  vi.useRealTimers();
});

async function wrong(times: number, call: 'keystore.unlock' | 'admin.login' = 'keystore.unlock'): Promise<void> {
  for (let i = 0; i < times; i++) expect((await callErr(core, call, { passphrase: `wrong ${i}` })).code).toBe('admin.wrongPassphrase');
}

describe('waitSeconds', () => {
  it('nothing for the first four, 30 s at the fifth, doubling, up to the cap', () => {
    expect([1, 4, 5, 6, 7].map(waitSeconds)).toEqual([0, 0, 30, 60, 120]);
    expect(waitSeconds(40)).toBe(MAX_WAIT_SECONDS);
  });
});

describe('admin passphrase lockout', () => {
  it('after 5 wrong entries even the right passphrase is refused with the seconds left, on unlock and on admin login', async () => {
    core.invoke('keystore.lock', {});
    await wrong(3, 'keystore.unlock');
    await wrong(2, 'admin.login');
    const locked = await core.call('keystore.unlock', { passphrase: ADMIN_PASSPHRASE });
    expect(locked).toMatchObject({ ok: false, error: { code: 'admin.lockedOut', params: { seconds: 30 } } });
    expect(JSON.stringify(locked)).not.toContain(ADMIN_PASSPHRASE);
    vi.setSystemTime(T0 + 20_000);
    expect(await core.call('admin.login', { passphrase: ADMIN_PASSPHRASE })).toMatchObject({ ok: false, error: { code: 'admin.lockedOut', params: { seconds: 10 } } });
    vi.setSystemTime(T0 + 30_000);
    await callOk(core, 'admin.login', { passphrase: ADMIN_PASSPHRASE });
    // The right entry started the count again: four wrong ones are free once more.
    await wrong(4);
    await callOk(core, 'admin.login', { passphrase: ADMIN_PASSPHRASE });
  });

  it('each wrong entry after the wait doubles it', async () => {
    await wrong(5);
    vi.setSystemTime(T0 + 31_000);
    await wrong(1);
    expect(await callErr(core, 'admin.login', { passphrase: ADMIN_PASSPHRASE })).toMatchObject({ code: 'admin.lockedOut' });
    expect((await core.call('admin.login', { passphrase: 'x' })).ok).toBe(false);
    const out = await core.call('admin.login', { passphrase: ADMIN_PASSPHRASE });
    expect(out).toMatchObject({ ok: false, error: { code: 'admin.lockedOut', params: { seconds: 60 } } });
  });

  it('a restart does not reset the count or the wait: the encrypted database itself stays shut', async () => {
    await wrong(5);
    core.close();
    vi.setSystemTime(T0 + 5_000);
    await expect(openWorkstation(ws.dir)).rejects.toMatchObject({ code: 'admin.lockedOut', params: { seconds: 25 } });
    vi.setSystemTime(T0 + 30_000);
    core = await openWorkstation(ws.dir);
    await callOk(core, 'keystore.unlock', { passphrase: ADMIN_PASSPHRASE });
  });

  it('wrong passphrases before the encrypted database opens (after a restart) count too, and lock out the same way', async () => {
    core.close();
    const open = (passphrase: string) => createCore({ dataDir: ws.dir, protector: { mode: 'passphrase' }, passphrase });
    for (let i = 0; i < 5; i++) await expect(open(`wrong ${i}`)).rejects.toMatchObject({ code: 'admin.wrongPassphrase' });
    await expect(open(ADMIN_PASSPHRASE)).rejects.toMatchObject({ code: 'admin.lockedOut', params: { seconds: 30 } });
    vi.setSystemTime(T0 + 30_000);
    core = await open(ADMIN_PASSPHRASE);
    // Counted in one place: a wrong entry now is the first of a new count, not the sixth.
    await wrong(1);
    await callOk(core, 'keystore.unlock', { passphrase: ADMIN_PASSPHRASE });
  });
});
