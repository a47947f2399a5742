import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readKeyFile, type DbKeyFile } from '../db/key';
import { connect, type Db } from '../db/open';
import { VERSION } from '../version';
import { sealBackup, type BackupKey, type HeaderFacts } from './format';

/**
 * What a backup holds (the encrypted payload): a manifest, then the database.
 *
 *     manifest length (4 bytes, BE) | manifest (JSON) | database file
 *
 * The database is a `VACUUM INTO` copy taken while the app runs: one read
 * transaction, so it is consistent, and SQLite3MC writes it encrypted with the
 * same key, so no clear page ever reaches the disk. Settings, the CRM, the
 * audit log and the private keys (sealed as they are: never unsealed here)
 * are rows of it.
 *
 * The database key. The key file beside the database (db/key.ts) is sealed
 * by this PC's OS keychain, or by the admin passphrase. A keychain seal opens
 * only on the PC that made it, and a backup exists for the day that PC is
 * gone, so the manifest carries the key itself, inside the payload, which is
 * sealed by the backup passphrase (format.ts). A restore seals it again the
 * local way (restore.ts): with the new PC's keychain when there is one, or
 * keeps the admin-passphrase seal when the workstation used that (then the
 * original key file travels too and is written back as it was). Why not the
 * admin passphrase alone: a workstation whose keychain seals everything may
 * never be asked for it, and the owner must not need two secrets to restore.
 */
export interface Manifest {
  v: 1;
  /** The database key, hex (see above). */
  dbKey: string;
  /** The key file as it was when sealed by the admin passphrase (portable as it is); null for a keychain seal. */
  keyFile: DbKeyFile | null;
  /** The small files beside the database: the start prefs (window.json) and the device id (device.json). */
  files: Record<string, string>;
}

/** The files beside the database that a replaced PC needs (logs and the lockout counter stay behind). */
export const SIDE_FILES = ['window.json', 'device.json'] as const;

export function packPayload(manifest: Manifest, dbBytes: Buffer): Buffer {
  const json = Buffer.from(JSON.stringify(manifest), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length);
  return Buffer.concat([len, json, dbBytes]);
}

export function unpackPayload(payload: Buffer): { manifest: Manifest; dbBytes: Buffer } | null {
  if (payload.length < 4) return null;
  const len = payload.readUInt32BE(0);
  if (payload.length < 4 + len) return null;
  try {
    const manifest = JSON.parse(payload.subarray(4, 4 + len).toString('utf8')) as Manifest;
    if (manifest.v !== 1 || !/^[0-9a-f]{64}$/.test(manifest.dbKey)) return null;
    return { manifest, dbBytes: payload.subarray(4 + len) };
  } catch {
    return null;
  }
}

/** The facts the header names, read from a database (the live one or a restored copy). */
export function describeDb(db: Db): Omit<HeaderFacts, 'at' | 'app'> {
  const setting = (key: string) => (db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null;
  const server = setting('server');
  const device = (server ? (JSON.parse(server) as { deviceId?: string }).deviceId : undefined) ?? setting('device') ?? '';
  const merchant = setting('merchant');
  const events = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  const last = db.prepare('SELECT id FROM events ORDER BY seq DESC LIMIT 1').get() as { id: string } | undefined;
  return {
    device,
    merchant: merchant ? (JSON.parse(merchant) as { id: string; name: string }) : null,
    events,
    lastEventId: last?.id ?? null,
    schema: db.pragma('user_version', { simple: true }) as number,
  };
}

export interface SnapshotSource {
  db: Db;
  /** The database key (db/workstation.ts). */
  dbKey: Buffer;
  dataDir: string;
}

/** Takes the backup of a running workstation: the file's bytes and its header's facts. */
export function takeBackup(src: SnapshotSource, key: BackupKey, at: number): { bytes: Buffer; facts: HeaderFacts } {
  const tmp = join(src.dataDir, `backup-${process.pid}-${at}.db.tmp`);
  let dbBytes: Buffer;
  let facts: HeaderFacts;
  try {
    // One read transaction (VACUUM INTO is consistent); the header's facts are read from the copy itself.
    src.db.prepare('VACUUM INTO ?').run(tmp);
    const copy = connect(tmp, src.dbKey, { readonly: true });
    try {
      facts = { ...describeDb(copy), at, app: VERSION };
    } finally {
      copy.close();
    }
    dbBytes = readFileSync(tmp);
  } finally {
    rmSync(tmp, { force: true });
  }
  const keyFile = readKeyFile(src.dataDir);
  const files: Record<string, string> = {};
  for (const name of SIDE_FILES) {
    try {
      files[name] = readFileSync(join(src.dataDir, name), 'utf8');
    } catch {
      // not there on this workstation (the CLI has no device.json)
    }
  }
  const manifest: Manifest = { v: 1, dbKey: src.dbKey.toString('hex'), keyFile: keyFile?.mode === 'passphrase' ? keyFile : null, files };
  return { bytes: sealBackup(facts, packPayload(manifest, dbBytes), key), facts };
}
