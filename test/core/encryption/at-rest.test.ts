/** Issue 11: members' names and phones are not readable in the workstation's files, and nothing opens without the key. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CoreGate } from '../../../main/core/gate';
import { databaseState } from '../../../main/core/db/encrypt';
import { keyFilePath, openKeyFile, readKeyFile } from '../../../main/core/db/key';
import { connect } from '../../../main/core/db/open';
import { isUserError } from '../../../main/core/errors';
import { ADMIN_PASSPHRASE, callErr, callOk, newWorkstation, openWorkstation, tempDir } from '../../support/workstation';
import { importMembers, makeClear, membersCsv, tableCounts } from './support';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function bytesOf(dir: string): Buffer {
  const files = ['voucherdesk.db', 'voucherdesk.db-wal', 'voucherdesk.key'].map((f) => join(dir, f)).filter((f) => existsSync(f));
  return Buffer.concat(files.map((f) => readFileSync(f)));
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return isUserError(e) ? e.code : `not a UserError: ${String(e)}`;
  }
  return 'opened';
}

describe('the workstation database at rest', () => {
  it('holds no member name or phone in the clear, in the database or its WAL, while open and after closing', async () => {
    const ws = await newWorkstation();
    cleanups.push(ws.cleanup);
    const { csv, names, phones } = membersCsv(300);
    expect(await importMembers(ws.core, csv)).toBe(300);
    const found = await callOk<{ rows: { name: string }[] }>(ws.core, 'crm.search', { q: names[7]! });
    expect(found.rows.map((r) => r.name)).toEqual([names[7]]); // the search index works on the encrypted file

    expect(existsSync(join(ws.dir, 'voucherdesk.db-wal'))).toBe(true);
    const check = (bytes: Buffer) => {
      for (const s of [...names.slice(0, 50), ...phones.slice(0, 50), 'Zhaoxue', '1391234']) {
        expect(bytes.includes(Buffer.from(s)), `"${s}" readable in the files`).toBe(false);
      }
      // Nor in UTF-16, the other way SQLite can store text.
      expect(bytes.includes(Buffer.from('Zhaoxue', 'utf16le'))).toBe(false);
      expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
    };
    check(bytesOf(ws.dir));
    ws.core.close();
    check(bytesOf(ws.dir));
    expect(databaseState(join(ws.dir, 'voucherdesk.db'))).toBe('encrypted');
  });

  it('does not open without the key, nor with a wrong one; the admin passphrase opens it, a wrong one changes nothing', async () => {
    const ws = await newWorkstation({ keysFile: null });
    cleanups.push(ws.cleanup);
    await importMembers(ws.core, membersCsv(5).csv);
    ws.core.close();
    const file = join(ws.dir, 'voucherdesk.db');
    for (const key of [undefined, Buffer.alloc(32, 7)]) {
      const db = connect(file, key, { readonly: true });
      try {
        expect(() => db.prepare('SELECT count(*) FROM crm_people').get()).toThrow(/not a database/);
      } finally {
        db.close();
      }
    }
    const keyFile = readFileSync(keyFilePath(ws.dir), 'utf8');
    expect(JSON.parse(keyFile)).toMatchObject({ v: 1, mode: 'passphrase' });
    expect((await import('node:fs')).statSync(keyFilePath(ws.dir)).mode & 0o777).toBe(0o600);

    const { createCore } = await import('../../../main/core/services');
    const { silentLogger } = await import('../../../main/core/log');
    const open = (passphrase?: string) => createCore({ dataDir: ws.dir, protector: { mode: 'passphrase' }, logger: silentLogger, passphrase });
    expect(await refusal(open())).toBe('keystore.locked');
    expect(await refusal(open('not the passphrase'))).toBe('admin.wrongPassphrase');
    expect(readFileSync(keyFilePath(ws.dir), 'utf8')).toBe(keyFile);
    const core = await open(ADMIN_PASSPHRASE);
    try {
      expect((core.db.prepare('SELECT count(*) AS n FROM crm_people').get() as { n: number }).n).toBe(5);
      expect((await callOk<{ state: string }>(core, 'keystore.view', {})).state).toBe('empty');
      // The passphrase that opened the database saves the next check its scrypt, for that passphrase only.
      expect((await callErr(core, 'admin.login', { passphrase: 'not the passphrase' })).code).toBe('admin.wrongPassphrase');
      expect((await callOk<{ token: string }>(core, 'admin.login', { passphrase: ADMIN_PASSPHRASE })).token).toBeTruthy();
    } finally {
      core.close();
    }
  });

  it('a fresh workstation keeps its key pending until the admin passphrase is set, then seals it with it', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const { createCore } = await import('../../../main/core/services');
    const { silentLogger } = await import('../../../main/core/log');
    const core = await createCore({ dataDir: dir, protector: { mode: 'passphrase' }, logger: silentLogger });
    expect(readKeyFile(dir)?.mode).toBe('pending');
    const key = await openKeyFile(readKeyFile(dir)!, { os: null });
    await callOk(core, 'admin.setup', { passphrase: ADMIN_PASSPHRASE });
    core.close();
    const sealed = readKeyFile(dir)!;
    expect(sealed.mode).toBe('passphrase');
    expect(readFileSync(keyFilePath(dir), 'utf8')).not.toContain(key.toString('hex'));
    expect((await openKeyFile(sealed, { os: null, passphrase: ADMIN_PASSPHRASE })).equals(key)).toBe(true);
  });

  it('with the OS keychain the key is sealed by it and the database opens at start', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const { createCore } = await import('../../../main/core/services');
    const { silentLogger } = await import('../../../main/core/log');
    const mask = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
    const os = { protect: async (b: Buffer) => mask(b), unprotect: async (b: Buffer) => mask(b) };
    const first = await createCore({ dataDir: dir, protector: { mode: 'os', os }, logger: silentLogger });
    first.close();
    expect(readKeyFile(dir)?.mode).toBe('os');
    const again = await createCore({ dataDir: dir, protector: { mode: 'os', os }, logger: silentLogger });
    again.close();
    // Without the keychain (the browser host on the app's folder) it does not open.
    expect(await refusal(createCore({ dataDir: dir, protector: { mode: 'passphrase' }, logger: silentLogger }))).toBe('keystore.unreadable');
  });

  it('a key left pending on a keychain workstation (its clear database first opened without the keychain) is sealed by the keychain in the app', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const { createCore } = await import('../../../main/core/services');
    const { silentLogger } = await import('../../../main/core/log');
    const mask = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
    const os = { protect: async (b: Buffer) => mask(b), unprotect: async (b: Buffer) => mask(b) };
    (await createCore({ dataDir: dir, protector: { mode: 'os', os }, logger: silentLogger })).close();
    // What an older version left: the same workstation, clear, without a key file.
    const key = await openKeyFile(readKeyFile(dir)!, { os });
    const db = connect(join(dir, 'voucherdesk.db'), key);
    db.pragma('journal_mode = DELETE');
    db.pragma("rekey = ''");
    db.close();
    (await import('node:fs')).rmSync(keyFilePath(dir));
    // The browser host opens it first: encrypted, the key pending (no keychain there); then the app seals it.
    (await createCore({ dataDir: dir, protector: { mode: 'passphrase' }, logger: silentLogger })).close();
    expect(readKeyFile(dir)?.mode).toBe('pending');
    (await createCore({ dataDir: dir, protector: { mode: 'os', os }, logger: silentLogger })).close();
    expect(readKeyFile(dir)?.mode).toBe('os');
  });

  it('an older clear database is encrypted in place with every row, and sealed by the next passphrase check', async () => {
    const ws = await newWorkstation();
    cleanups.push(ws.cleanup);
    await importMembers(ws.core, membersCsv(200).csv);
    ws.core.close();
    await makeClear(ws.dir);
    const file = join(ws.dir, 'voucherdesk.db');
    expect(databaseState(file)).toBe('clear');
    const before = tableCounts(file);

    const core = await openWorkstation(ws.dir);
    cleanups.push(() => core.close());
    expect(databaseState(file)).toBe('encrypted');
    expect(readKeyFile(ws.dir)?.mode).toBe('pending');
    const key = await openKeyFile(readKeyFile(ws.dir)!, { os: null });
    expect(tableCounts(file, key)).toEqual(before);
    expect(existsSync(`${file}.encrypting`)).toBe(false);
    await callOk(core, 'keystore.unlock', { passphrase: ADMIN_PASSPHRASE });
    expect(readKeyFile(ws.dir)?.mode).toBe('passphrase');
  });
});

describe('the core process before the passphrase (the gate)', () => {
  it('answers the start-up calls, refuses the rest as locked, refuses a wrong passphrase, and opens on the right one', async () => {
    const ws = await newWorkstation();
    cleanups.push(ws.cleanup);
    await importMembers(ws.core, membersCsv(3).csv);
    ws.core.close();
    const { createCore } = await import('../../../main/core/services');
    const { silentLogger } = await import('../../../main/core/log');
    const gate = new CoreGate((passphrase) => createCore({ dataDir: ws.dir, protector: { mode: 'passphrase' }, logger: silentLogger, passphrase }));
    cleanups.push(() => gate.close());
    expect(await gate.start()).toBe('locked');
    const info = await gate.call('app.info', {});
    expect(info).toMatchObject({ ok: true, value: { keystore: 'locked', adminConfigured: true } });
    expect(await gate.call('settings.get', {})).toMatchObject({ ok: true });
    expect(await gate.call('crm.search', { q: 'Zhaoxue' })).toMatchObject({ ok: false, error: { code: 'keystore.locked' } });
    expect(await gate.call('keystore.unlock', { passphrase: 'wrong wrong wrong' })).toMatchObject({ ok: false, error: { code: 'admin.wrongPassphrase' } });
    expect(await gate.call('keystore.unlock', {})).toMatchObject({ ok: false, error: { code: 'api.badInput' } });
    expect(gate.opened).toBeNull();
    expect(await gate.call('keystore.unlock', { passphrase: ADMIN_PASSPHRASE })).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    expect(gate.opened).not.toBeNull();
    const found = await gate.call('crm.search', { q: 'Zhaoxue' });
    expect(found.ok && (found.value as { rows: unknown[] }).rows.length).toBe(3);
  });
});
