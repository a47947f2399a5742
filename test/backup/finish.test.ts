/**
 * A restore killed at any point of the swap finishes at the next start: never
 * a key beside the wrong database, and the old files always kept aside.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { finishRestore, stageRestore, verifyBackup } from '../../main/core/backup/restore';
import { callOk, newWorkstation, openWorkstation, tempDir } from '../support/workstation';

const PASS = 'backup passphrase 1';
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

describe('finishing a staged restore', () => {
  it('after a kill between the renames, the next start completes it', async () => {
    const src = await newWorkstation();
    cleanups.push(src.cleanup);
    const out = tempDir('vd-finish-');
    cleanups.push(out.cleanup);
    const { file } = await callOk<{ file: string }>(src.core, 'backup.create', { adminToken: src.token, path: out.dir, passphrase: PASS });
    const expected = src.core.db.prepare('SELECT * FROM keys ORDER BY kid').all();

    for (const moved of [0, 1, 2, 3]) {
      const target = await newWorkstation({ keysFile: null });
      cleanups.push(target.cleanup);
      target.core.close();
      const v = await verifyBackup(readFileSync(file), PASS);
      await stageRestore(target.dir, v, null, Date.now());
      v.dispose();
      // The kill: the old files went aside and `moved` new ones came in, then nothing.
      const staged = join(target.dir, 'restore-staged');
      const aside = join(target.dir, 'voucherdesk-before-restore-x');
      if (moved > 0) {
        mkdirSync(aside);
        for (const f of ['voucherdesk.db-wal', 'voucherdesk.db-shm', 'voucherdesk.db', 'voucherdesk.key', 'window.json']) {
          if (existsSync(join(target.dir, f))) renameSync(join(target.dir, f), join(aside, f));
        }
        for (const f of ['voucherdesk.db', 'window.json', 'voucherdesk.key'].slice(0, moved)) {
          if (existsSync(join(staged, f))) renameSync(join(staged, f), join(target.dir, f));
        }
      }
      finishRestore(target.dir);
      expect(existsSync(staged)).toBe(false);
      const reopened = await openWorkstation(target.dir);
      try {
        expect(reopened.db.prepare('SELECT * FROM keys ORDER BY kid').all(), `after ${moved} moved`).toEqual(expected);
      } finally {
        reopened.close();
      }
      expect(readdirSync(target.dir).some((f) => f.startsWith('voucherdesk-before-restore-'))).toBe(true);
    }
  });
});
