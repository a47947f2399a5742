import { closeSync, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { BackupSummary } from '../../../preload/contract';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sealNew, writeKeyFile, KEY_FILE } from '../db/key';
import { connect } from '../db/open';
import { LATEST_VERSION } from '../db/migrations';
import { DB_FILE } from '../db/workstation';
import { UserError } from '../errors';
import type { SecretProtector } from '../keystore/protector';
import { fsyncDir, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, writePrivateFileDurably } from '../paths';
import { altered, openBackup, type BackupHeader } from './format';
import { describeDb, SIDE_FILES, unpackPayload, type Manifest } from './snapshot';

/**
 * Restoring a backup. Nothing is replaced before the whole file is checked
 * (`verifyBackup`): decrypted, its tag checked, the database it holds opened
 * read-only with its key, `PRAGMA integrity_check`ed, its migration version
 * known to this VoucherDesk, and its contents matching the header (device,
 * merchant, event count, last event id).
 *
 * Then in two steps, so a restore killed at any moment finishes at the next
 * start and never leaves a key beside the wrong database:
 *
 * 1. `stageRestore` writes the new files into `<data>/restore-staged/` and,
 *    last, `ready.json`;
 * 2. `finishRestore` (the CLI at once; the app at its next start, since the
 *    running core holds the database open) moves this workstation's files
 *    into `<data>/voucherdesk-before-restore-<time>/` (kept, never deleted)
 *    and the staged ones in. The data folder itself stays (in the app it is
 *    also Chromium's profile).
 */
export type { BackupSummary };

const STAGED = 'restore-staged';
const READY = 'ready.json';
/** This workstation's own files, in the order they move (the key last in, so it never sits beside an old database). */
const OWN_FILES = [`${DB_FILE}-wal`, `${DB_FILE}-shm`, DB_FILE, ...SIDE_FILES, KEY_FILE];

export function summaryOf(h: BackupHeader): BackupSummary {
  return { at: h.at, device: h.device, merchant: h.merchant, events: h.events, lastEventId: h.lastEventId, schema: h.schema, app: h.app };
}

export interface VerifiedBackup {
  summary: BackupSummary;
  manifest: Manifest;
  /** The checked database, in a private temp folder (encrypted, as in the backup). */
  dbFile: string;
  dispose(): void;
}

function writeDurably(file: string, bytes: Buffer): void {
  const fd = openSync(file, 'w', PRIVATE_FILE_MODE);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Reads and checks a backup completely; throws a UserError that says what is wrong. */
export async function verifyBackup(bytes: Buffer, passphrase: string): Promise<VerifiedBackup> {
  const { header, payload } = await openBackup(bytes, passphrase);
  const unpacked = unpackPayload(payload);
  if (!unpacked) throw altered();
  const { manifest, dbBytes } = unpacked;
  const dir = mkdtempSync(join(tmpdir(), 'vd-restore-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  const dbFile = join(dir, DB_FILE);
  try {
    writeDurably(dbFile, dbBytes);
    const db = connect(dbFile, Buffer.from(manifest.dbKey, 'hex'), { readonly: true });
    try {
      const schema = db.pragma('user_version', { simple: true }) as number;
      if (schema > LATEST_VERSION) {
        throw new UserError('backup.tooNew', 'This backup was made by a newer VoucherDesk; update VoucherDesk to restore it.');
      }
      if (db.pragma('integrity_check', { simple: true }) !== 'ok') throw altered();
      const found = describeDb(db);
      const same =
        found.schema === header.schema &&
        found.events === header.events &&
        found.lastEventId === header.lastEventId &&
        found.device === header.device &&
        JSON.stringify(found.merchant) === JSON.stringify(header.merchant);
      if (!same) throw altered();
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw altered(); // not a database, or not with this key
    } finally {
      db.close();
    }
  } catch (e) {
    dispose();
    throw e;
  }
  return { summary: summaryOf(header), manifest, dbFile, dispose };
}

/** True when the data folder holds a workstation (a database or its key). */
export function holdsWorkstation(dataDir: string): boolean {
  return existsSync(join(dataDir, DB_FILE)) || existsSync(join(dataDir, KEY_FILE));
}

/**
 * Writes a verified backup's files beside the workstation's, ready to be
 * swapped in. The database key is sealed the local way (snapshot.ts): kept as
 * it was when the admin passphrase sealed it; else by this PC's keychain; else
 * `pending`, which the app seals with its keychain (or the first admin
 * passphrase check seals) at its next start.
 */
export async function stageRestore(dataDir: string, v: VerifiedBackup, os: SecretProtector | null, now: number): Promise<void> {
  const dir = join(dataDir, STAGED);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  writeDurably(join(dir, DB_FILE), readFileSync(v.dbFile));
  for (const [name, text] of Object.entries(v.manifest.files)) {
    if ((SIDE_FILES as readonly string[]).includes(name)) writePrivateFileDurably(join(dir, name), text);
  }
  writeKeyFile(dir, v.manifest.keyFile ?? (await sealNew(Buffer.from(v.manifest.dbKey, 'hex'), os)));
  fsyncDir(dir);
  const files = readdirSync(dir);
  writePrivateFileDurably(join(dir, READY), JSON.stringify({ at: now, files, summary: v.summary }));
}

/** A restore waiting for the next start (the app shows it), or null. */
export function stagedRestore(dataDir: string): { at: number; summary: BackupSummary } | null {
  try {
    return JSON.parse(readFileSync(join(dataDir, STAGED, READY), 'utf8')) as { at: number; summary: BackupSummary };
  } catch {
    return null;
  }
}

export function asideName(at: number): string {
  return `voucherdesk-before-restore-${new Date(at).toISOString().replace(/[:.]/g, '-')}`;
}

/**
 * Swaps a staged restore in, when one is ready; safe to run again after a
 * kill at any point. Answers the folder the old files went to, or null.
 * Runs before the database is opened (services.ts, the CLI).
 */
export function finishRestore(dataDir: string): string | null {
  const dir = join(dataDir, STAGED);
  let ready: { at: number; files: string[] };
  try {
    ready = JSON.parse(readFileSync(join(dir, READY), 'utf8')) as typeof ready;
  } catch {
    // Not ready: a staging killed half-way is dropped (nothing was replaced).
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    return null;
  }
  const aside = join(dataDir, asideName(ready.at));
  const untouched = ready.files.every((f) => existsSync(join(dir, f)));
  if (untouched) {
    // Nothing new has moved in yet: the workstation's own files go aside (again, after a kill).
    mkdirSync(aside, { recursive: true, mode: PRIVATE_DIR_MODE });
    for (const f of OWN_FILES) if (existsSync(join(dataDir, f))) renameSync(join(dataDir, f), join(aside, f));
    fsyncDir(aside);
    fsyncDir(dataDir);
  }
  for (const f of OWN_FILES) if (ready.files.includes(f) && existsSync(join(dir, f))) renameSync(join(dir, f), join(dataDir, f));
  fsyncDir(dataDir);
  rmSync(dir, { recursive: true, force: true });
  return existsSync(aside) ? aside : null;
}

/**
 * The CLI's restore (a replaced PC, nothing running): verify, stage, swap in.
 * A folder that holds a workstation is replaced only when `replace` is set;
 * its files are kept aside either way.
 */
export async function restoreInto(
  dataDir: string,
  bytes: Buffer,
  passphrase: string,
  opts: { os: SecretProtector | null; replace: boolean; now: number },
): Promise<{ summary: BackupSummary; keptAside: string | null }> {
  const v = await verifyBackup(bytes, passphrase);
  try {
    if (holdsWorkstation(dataDir) && !opts.replace) {
      throw new UserError('usage', 'This data folder already holds a workstation: add --replace to replace it (it is kept aside).');
    }
    mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
    await stageRestore(dataDir, v, opts.os, opts.now);
  } finally {
    v.dispose();
  }
  return { summary: v.summary, keptAside: finishRestore(dataDir) };
}
