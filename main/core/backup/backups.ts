import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BackupSchedule, BackupStatus } from '../../../preload/api/backup';
import type { Db } from '../db/open';
import { UserError } from '../errors';
import type { SecretProtector } from '../keystore/protector';
import type { Logger } from '../log';
import { fsyncDir, PRIVATE_FILE_MODE } from '../paths';
import type { Settings } from '../settings';
import { backupKey, DEFAULT_COST, type BackupKey } from './format';
import { stagedRestore, stageRestore, verifyBackup, type BackupSummary } from './restore';
import { takeBackup } from './snapshot';

/**
 * Backups of a running workstation: on demand to a file or a folder, and on
 * the schedule (daily at a local time, into a folder, keeping the last N),
 * run by the core process (the app's and the browser host's alike). The last
 * result is kept for the Backup section.
 *
 * The schedule has nobody to type the backup passphrase, so when it is turned
 * on the passphrase's key is derived once and kept in the encrypted database
 * (`backup.scheduleKey`): it guards copies of that same database, and anyone
 * who can read it could read the data directly.
 */
export interface BackupsDeps {
  db: Db;
  dbKey: Buffer;
  dataDir: string;
  settings: Settings;
  log: Logger;
  /** This PC's keychain, to seal a restored database key (null: the CLI, the browser host). */
  os: SecretProtector | null;
  device: () => string;
  clock?: () => number;
  /** scrypt's cost (tests lower it). */
  cost?: number;
}

const SCHEDULE = 'backup.schedule';
const SCHEDULE_KEY = 'backup.scheduleKey';
const LAST = 'backup.last';
const LAST_SCHEDULED = 'backup.lastScheduledDay';
export const EXTENSION = '.vdbackup';

/** Writes `bytes` to a temp file beside `file`, fsyncs, renames over it, fsyncs the folder. */
function writeDurably(file: string, bytes: Buffer): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', PRIVATE_FILE_MODE);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  fsyncDir(dirname(file));
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function stamp(at: number): string {
  return new Date(at).toISOString().replace(/[:.]/g, '-');
}

/** The local day (YYYY-MM-DD) and minutes since midnight of an instant. */
function localDay(at: number): { day: string; minutes: number } {
  const d = new Date(at);
  const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return { day, minutes: d.getHours() * 60 + d.getMinutes() };
}

/** The database copy of a backup killed half-way (snapshot.ts; still encrypted), once it is surely nobody's. */
function removeLeftovers(dataDir: string): void {
  for (const f of readdirSync(dataDir)) {
    if (!/^backup-\d+-\d+\.db\.tmp$/.test(f)) continue;
    const file = join(dataDir, f);
    if (Date.now() - statSync(file).mtimeMs > 3_600_000) rmSync(file, { force: true });
  }
}

const cannotWrite = () =>
  new UserError('backup.cannotWrite', 'The backup could not be written there: check the folder or the USB stick and its free space.');

export class Backups {
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly clock: () => number;

  constructor(private readonly d: BackupsDeps) {
    this.clock = d.clock ?? Date.now;
    removeLeftovers(d.dataDir);
  }

  status(): BackupStatus {
    const staged = stagedRestore(this.d.dataDir);
    return {
      schedule: this.d.settings.getJson<BackupSchedule>(SCHEDULE),
      last: this.d.settings.getJson<BackupStatus['last']>(LAST),
      staged: staged?.summary ?? null,
      fresh: this.fresh(),
    };
  }

  /** No keys, no events, no admin passphrase: nothing a restore could lose. */
  fresh(): boolean {
    const n = (sql: string) => (this.d.db.prepare(sql).get() as { n: number }).n;
    return n('SELECT count(*) AS n FROM keys') === 0 && n('SELECT count(*) AS n FROM events') === 0 && this.d.settings.get('admin.kdf') === null;
  }

  /** A backup now, to a file or into a folder. */
  async create(path: string, passphrase: string, scheduled = false): Promise<{ file: string; summary: BackupSummary }> {
    return this.write(path, await backupKey(passphrase, this.d.cost ?? DEFAULT_COST), scheduled, this.clock());
  }

  private write(path: string, key: BackupKey, scheduled: boolean, at: number): { file: string; summary: BackupSummary } {
    const file = isDir(path) ? join(path, `voucherdesk-${this.d.device()}-${stamp(at)}${EXTENSION}`) : path;
    try {
      if (scheduled && !isDir(path)) throw cannotWrite();
      const { bytes, facts } = takeBackup({ db: this.d.db, dbKey: this.d.dbKey, dataDir: this.d.dataDir }, key, at);
      try {
        writeDurably(file, bytes);
      } catch {
        rmSync(`${file}.tmp`, { force: true });
        throw cannotWrite();
      }
      this.d.settings.setJson(LAST, { at, ok: true, file, scheduled, error: null });
      this.d.log.info('backup written', { events: facts.events, bytes: bytes.length, scheduled });
      return { file, summary: { ...facts } };
    } catch (e) {
      const code = e instanceof UserError ? e.code : 'core.internal';
      this.d.settings.setJson(LAST, { at, ok: false, file: null, scheduled, error: code });
      this.d.log.warn('backup failed', { code, scheduled });
      throw e;
    }
  }

  async setSchedule(s: BackupSchedule, passphrase: string | undefined): Promise<BackupStatus> {
    if (s.enabled) {
      if (!isDir(s.folder)) throw new UserError('backup.notFound', 'That folder does not exist (is the USB stick in?).');
      if (passphrase) {
        const k = await backupKey(passphrase, this.d.cost ?? DEFAULT_COST);
        this.d.settings.setJson(SCHEDULE_KEY, { key: k.key.toString('hex'), kdf: k.kdf });
      } else if (!this.d.settings.get(SCHEDULE_KEY)) {
        throw new UserError('backup.needPassphrase', 'Choose the backup passphrase for the scheduled backups.');
      }
    }
    this.d.settings.setJson(SCHEDULE, s);
    return this.status();
  }

  /**
   * Runs the scheduled backup when it is due: once a local day, at or after its
   * time. The clock is injectable; the core calls it every minute.
   */
  tick(now = this.clock()): { file: string } | null {
    const s = this.d.settings.getJson<BackupSchedule>(SCHEDULE);
    const stored = this.d.settings.getJson<{ key: string; kdf: BackupKey['kdf'] }>(SCHEDULE_KEY);
    if (!s?.enabled || !stored) return null;
    const { day, minutes } = localDay(now);
    const [h, m] = s.time.split(':').map(Number) as [number, number];
    if (minutes < h * 60 + m || this.d.settings.get(LAST_SCHEDULED) === day) return null;
    this.d.settings.set(LAST_SCHEDULED, day);
    try {
      const { file } = this.write(s.folder, { key: Buffer.from(stored.key, 'hex'), kdf: stored.kdf }, true, now);
      this.prune(s.folder, s.keep);
      return { file };
    } catch {
      return null; // recorded in backup.last for the screen
    }
  }

  /** Keeps the newest `keep` backups of this device in the folder (the names sort by time). */
  private prune(folder: string, keep: number): void {
    const prefix = `voucherdesk-${this.d.device()}-`;
    const mine = readdirSync(folder)
      .filter((f) => f.startsWith(prefix) && f.endsWith(EXTENSION))
      .sort();
    for (const f of mine.slice(0, Math.max(0, mine.length - keep))) rmSync(join(folder, f), { force: true });
  }

  start(everyMs = 60_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), everyMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async verify(path: string, passphrase: string): Promise<BackupSummary> {
    const v = await verifyBackup(readBackupFile(path), passphrase);
    v.dispose();
    return v.summary;
  }

  /** Verifies, then stages the restore for the next start (the running core holds the database). */
  async restore(path: string, passphrase: string): Promise<BackupSummary> {
    const v = await verifyBackup(readBackupFile(path), passphrase);
    try {
      await stageRestore(this.d.dataDir, v, this.d.os, this.clock());
    } finally {
      v.dispose();
    }
    this.d.log.info('restore staged', { events: v.summary.events });
    return v.summary;
  }
}

export function readBackupFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new UserError('backup.notFound', 'That backup file cannot be read (is the USB stick in?).');
  }
}
