/**
 * The database key of a workstation whose OS keychain seals it: a backup
 * carries the key sealed by the backup passphrase, and a restore seals it
 * again the new PC's way (keychain, or pending until the app's first start).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { restoreInto } from '../../main/core/backup/restore';
import { readKeyFile } from '../../main/core/db/key';
import { AesGcmProtector } from '../../main/core/keystore/protector';
import { createLogger } from '../../main/core/log';
import { createCore } from '../../main/core/services';
import { tempDir, VECTOR_KEYS_FILE } from '../support/workstation';

const PASS = 'backup passphrase 1';
const dirs: ReturnType<typeof tempDir>[] = [];
afterAll(() => dirs.forEach((d) => d.cleanup()));
const dir = () => {
  const d = tempDir('vd-keychain-');
  dirs.push(d);
  return d.dir;
};
/** One machine's keychain: what it seals, no other machine opens. */
const keychain = () => new AesGcmProtector(randomBytes(32));
const open = (dataDir: string, os: AesGcmProtector) => createCore({ dataDir, protector: { mode: 'os', os }, device: 'OLD-PC', logger: createLogger(dataDir) });
const events = (c: { db: { prepare(s: string): { all(): unknown[] } } }) => c.db.prepare('SELECT * FROM events ORDER BY seq').all();

describe('a keychain-sealed workstation restored onto another PC', () => {
  it('the new PC’s keychain seals the restored key; without one it waits, pending, for the app', async () => {
    const oldDir = dir();
    const oldPc = keychain();
    const old = await open(oldDir, oldPc);
    const { token } = await old.invoke('admin.setup', { passphrase: 'owner passphrase 1' });
    await old.invoke('keystore.import', { adminToken: token, fileName: 'keys.json', content: readFileSync(VECTOR_KEYS_FILE, 'utf8') });
    expect(readKeyFile(oldDir)?.mode).toBe('os');
    const { file } = await old.invoke('backup.create', { adminToken: token, path: oldDir, passphrase: PASS });
    const before = events(old);
    old.close();
    const bytes = readFileSync(file);

    // Restored by the app on a PC with its own keychain: sealed by it at once.
    const newDir = dir();
    const newPc = keychain();
    await restoreInto(newDir, bytes, PASS, { os: newPc, replace: false, now: Date.now() });
    expect(readKeyFile(newDir)?.mode).toBe('os');
    const restored = await open(newDir, newPc);
    expect(events(restored)).toEqual(before);
    // The private keys stay sealed as they were: the old PC's keychain sealed them, so the owner imports the key files again.
    expect(restored.keystore.state()).toBe('locked');
    restored.close();

    // Restored by the CLI (no keychain): pending, and sealed by the keychain at the app's first start.
    const cliDir = dir();
    await restoreInto(cliDir, bytes, PASS, { os: null, replace: false, now: Date.now() });
    expect(readKeyFile(cliDir)?.mode).toBe('pending');
    const app = await open(cliDir, newPc);
    expect(events(app)).toEqual(before);
    app.close();
    expect(readKeyFile(cliDir)?.mode).toBe('os');
  });
});
