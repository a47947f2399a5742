import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backups } from '../../main/core/backup/backups';
import type { BackupStatus } from '../../preload/contract';
import { openKeyFile, readKeyFile } from '../../main/core/db/key';
import { ADMIN_PASSPHRASE, callErr, callOk, newWorkstation, tempDir } from '../support/workstation';

let ws: Awaited<ReturnType<typeof newWorkstation>>;
const folder = tempDir('vd-scheduled-');
afterAll(() => {
  ws.cleanup();
  folder.cleanup();
});
beforeAll(async () => {
  ws = await newWorkstation();
});

/** A local instant: day `d` of December 2026 at hh:mm. */
const local = (d: number, hh: number, mm: number) => new Date(2026, 11, d, hh, mm).getTime();

describe('scheduled backups', () => {
  it('runs once a day at its time, with an injected clock, and keeps the last N', async () => {
    let now = local(1, 1, 0);
    const backups = new Backups({
      db: ws.core.db,
      dbKey: await openKeyFile(readKeyFile(ws.dir)!, { os: null, passphrase: ADMIN_PASSPHRASE }),
      dataDir: ws.dir,
      settings: ws.core.settings,
      log: ws.core.log,
      os: null,
      device: () => 'TEST-POS',
      clock: () => now,
      cost: 1 << 12,
    });
    expect((await callErr(ws.core, 'backup.setSchedule', { adminToken: ws.token, enabled: true, time: '02:30', folder: folder.dir, keep: 2 })).code).toBe(
      'backup.needPassphrase',
    );
    const status = await callOk<BackupStatus>(ws.core, 'backup.setSchedule', {
      adminToken: ws.token,
      enabled: true,
      time: '02:30',
      folder: folder.dir,
      keep: 2,
      passphrase: 'scheduled passphrase',
    });
    expect(status.schedule).toEqual({ enabled: true, time: '02:30', folder: folder.dir, keep: 2 });
    expect(JSON.stringify(status)).not.toContain('scheduled passphrase');

    expect(backups.tick(local(1, 2, 29))).toBeNull(); // not yet
    now = local(1, 2, 30);
    expect(backups.tick(now)).not.toBeNull();
    expect(backups.tick(local(1, 23, 59))).toBeNull(); // once a day
    for (const d of [2, 3, 4]) {
      now = local(d, 9, 0); // the PC was off at 02:30: it runs when it is next on
      expect(backups.tick(now)).not.toBeNull();
    }
    const files = readdirSync(folder.dir).sort();
    expect(files).toHaveLength(2);
    expect(files[1]).toContain(new Date(local(4, 9, 0)).toISOString().replace(/[:.]/g, '-'));
    expect(backups.status().last).toMatchObject({ ok: true, scheduled: true, at: local(4, 9, 0) });
    // The scheduled file opens with the passphrase given when the schedule was set.
    const summary = await backups.verify(`${folder.dir}/${files[1]!}`, 'scheduled passphrase');
    expect(summary.device).toBe('TEST-POS');

    // The USB stick taken out: a failed run the screen shows, not a crash.
    const stick = join(folder.dir, 'stick');
    mkdirSync(stick);
    await callOk(ws.core, 'backup.setSchedule', { adminToken: ws.token, enabled: true, time: '02:30', folder: stick, keep: 2 });
    rmSync(stick, { recursive: true });
    expect(backups.tick(local(5, 3, 0))).toBeNull();
    expect(backups.status().last).toMatchObject({ ok: false, scheduled: true, error: 'backup.cannotWrite' });
    // Off: nothing runs.
    await callOk(ws.core, 'backup.setSchedule', { adminToken: ws.token, enabled: false, time: '02:30', folder: stick, keep: 2 });
    expect(backups.tick(local(6, 3, 0))).toBeNull();
    expect(backups.status().last).toMatchObject({ at: local(5, 3, 0) });
  });

  it('drops the database copy of a backup killed half-way, once it is an hour old', async () => {
    const old = join(ws.dir, 'backup-4242-1.db.tmp');
    const recent = join(ws.dir, 'backup-4243-2.db.tmp');
    writeFileSync(old, 'x');
    writeFileSync(recent, 'x');
    const twoHoursAgo = (Date.now() - 2 * 3_600_000) / 1000;
    utimesSync(old, twoHoursAgo, twoHoursAgo);
    new Backups({ db: ws.core.db, dbKey: Buffer.alloc(32), dataDir: ws.dir, settings: ws.core.settings, log: ws.core.log, os: null, device: () => 'TEST-POS' });
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true); // perhaps another process's backup under way
    rmSync(recent);
  });
});
