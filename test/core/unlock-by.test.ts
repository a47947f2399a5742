/**
 * Who must unlock the workstation: with the OS keychain nobody (the database
 * and the keys open at start, no passphrase asked); without it (the browser
 * host, the CLI) the owner, and app.info says so, before opening too.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppInfo, KeystoreView } from '../../preload/contract';
import { CoreGate } from '../../main/core/gate';
import { silentLogger } from '../../main/core/log';
import { createCore } from '../../main/core/services';
import { ADMIN_PASSPHRASE, VECTOR_KEYS_FILE, callOk, tempDir } from '../support/workstation';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const mask = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
const os = { protect: async (b: Buffer) => mask(b), unprotect: async (b: Buffer) => mask(b) };

describe('who must unlock', () => {
  it('with the OS keychain: nobody; the workstation and its keys open again without the passphrase', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const first = await createCore({ dataDir: dir, protector: { mode: 'os', os }, logger: silentLogger });
    const { token } = await first.invoke('admin.setup', { passphrase: ADMIN_PASSPHRASE });
    await callOk(first, 'keystore.import', { adminToken: token, fileName: 'keys.json', content: readFileSync(VECTOR_KEYS_FILE, 'utf8') });
    first.close();
    const again = await createCore({ dataDir: dir, protector: { mode: 'os', os }, logger: silentLogger });
    cleanups.push(() => again.close());
    expect((await callOk<KeystoreView>(again, 'keystore.view', {})).state).toBe('unlocked');
    expect(await callOk<AppInfo>(again, 'app.info', {})).toMatchObject({ protector: 'os', keystore: 'unlocked', unlockBy: 'nobody' });
  });

  it('without it: the owner, said before the database opens as well as after', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const open = (passphrase?: string) => createCore({ dataDir: dir, protector: { mode: 'passphrase' }, logger: silentLogger, passphrase });
    const first = await open();
    await first.invoke('admin.setup', { passphrase: ADMIN_PASSPHRASE });
    first.close();
    const gate = new CoreGate(open);
    cleanups.push(() => gate.close());
    expect(await gate.start()).toBe('locked');
    const locked = await gate.call('app.info', {});
    expect(locked.ok && (locked.value as AppInfo).unlockBy).toBe('owner');
    await gate.call('admin.login', { passphrase: ADMIN_PASSPHRASE });
    const opened = await gate.call('app.info', {});
    expect(opened.ok && (opened.value as AppInfo).unlockBy).toBe('owner');
  });
});
