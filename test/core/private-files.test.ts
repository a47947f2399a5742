/**
 * The data folder holds the member CRM and the ledger: other local users may
 * not read it. Folders 0700, files 0600, also for a folder an older version
 * left 0755 with 0644 files.
 */
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSPHRASE, openWorkstation, tempDir } from '../support/workstation';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** Every path under `dir` (and `dir`) whose permissions let group or others in. */
function openToOthers(dir: string): string[] {
  const found: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    if ((st.mode & 0o077) !== 0) found.push(`${p} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
  };
  walk(dir);
  return found;
}

describe.skipIf(process.platform === 'win32')('data files are private to the user', () => {
  it('a new workstation creates its folder 0700 and its database, WAL and log 0600', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const dir = join(tmp.dir, 'ws');
    const core = await openWorkstation(dir);
    cleanups.push(() => core.close());
    await core.call('admin.setup', { passphrase: ADMIN_PASSPHRASE });
    const names = readdirSync(dir);
    expect(names).toEqual(expect.arrayContaining(['voucherdesk.db', 'voucherdesk.db-wal', 'logs']));
    expect((statSync(dir).mode & 0o777).toString(8)).toBe('700');
    expect(openToOthers(dir)).toEqual([]);
  });

  it('an existing folder left open by an older version is tightened when it opens', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const dir = join(tmp.dir, 'old');
    const first = await openWorkstation(dir);
    first.close();
    mkdirSync(join(dir, 'exports'));
    writeFileSync(join(dir, 'exports', 'members.csv'), 'name\n');
    for (const [p, mode] of [[dir, 0o755], [join(dir, 'voucherdesk.db'), 0o644], [join(dir, 'logs'), 0o755], [join(dir, 'logs', 'core.log'), 0o644], [join(dir, 'exports'), 0o755], [join(dir, 'exports', 'members.csv'), 0o644]] as const) {
      chmodSync(p, mode);
    }
    expect(openToOthers(dir).length).toBe(6);
    const core = await openWorkstation(dir);
    cleanups.push(() => core.close());
    expect(openToOthers(dir)).toEqual([]);
  });
});
