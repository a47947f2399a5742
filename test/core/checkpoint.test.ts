import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IdleCheckpointer } from '../../main/core/db/checkpoint';
import { openDatabase, type Db } from '../../main/core/db/open';
import { tempDir } from '../support/workstation';

// The WAL is copied into the database between scans, never inside a cashier's COMMIT.
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function setup(opts = { idleMs: 50, everyMs: 60_000, maxWalBytes: 64 * 1024 * 1024 }) {
  const t = tempDir('vd-ckpt-');
  const file = join(t.dir, 'voucherdesk.db');
  const db = openDatabase(file);
  const ckpt = new IdleCheckpointer(db, file, opts);
  cleanups.push(() => {
    ckpt.stop();
    db.close();
    t.cleanup();
  });
  return { db, ckpt, mainSize: () => statSync(file).size };
}

function write(db: Db, n: number): void {
  const insert = db.prepare("INSERT INTO settings (key, value) VALUES (?, ?)");
  db.transaction(() => {
    for (let i = 0; i < n; i++) insert.run(`k${Math.random()}`, 'x'.repeat(200));
  })();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('idle WAL checkpoints', () => {
  it('turns SQLite automatic checkpoints off for the core connection', () => {
    const { db } = setup();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
  });

  it('never checkpoints while a redemption is in flight, and does once the counter is idle', async () => {
    const { db, ckpt, mainSize } = setup();
    const before = mainSize();
    let release!: () => void;
    const busy = ckpt.during(() => new Promise<void>((r) => (release = r)));
    write(db, 2000); // pages go to the WAL only
    await sleep(80);
    ckpt.tick();
    expect(mainSize()).toBe(before);
    release();
    await busy;
    ckpt.tick(); // just finished: not idle yet
    expect(mainSize()).toBe(before);
    await sleep(80);
    ckpt.tick();
    expect(mainSize()).toBeGreaterThan(before);
  });

  it('checkpoints anyway when a long burst lets the WAL grow past its limit', async () => {
    const { db, ckpt, mainSize } = setup({ idleMs: 60_000, everyMs: 60_000, maxWalBytes: 64 * 1024 });
    const before = mainSize();
    await ckpt.during(async () => {
      write(db, 2000);
      ckpt.tick();
    });
    expect(mainSize()).toBeGreaterThan(before);
  });
});
