import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/core/db/open';
import { LATEST_VERSION, migrate, migrations, type Migration } from '../../main/core/db/migrations';
import { tempDir } from '../support/workstation';

const dirs: (() => void)[] = [];
afterEach(() => dirs.splice(0).forEach((c) => c()));
function file(): string {
  const t = tempDir('vd-mig-');
  dirs.push(t.cleanup);
  return join(t.dir, 'voucherdesk.db');
}

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('migrations', () => {
  it('are numbered by their position, and each has its own name', () => {
    expect(LATEST_VERSION).toBe(migrations.length);
    expect(new Set(migrations.map((m) => m.name)).size).toBe(migrations.length);
  });

  it('bring an empty database to the latest version, with WAL and synchronous=FULL on every open', () => {
    const f = file();
    const db = openDatabase(f);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
    const again = openDatabase(f);
    expect(again.pragma('synchronous', { simple: true })).toBe(2);
    again.close();
  });

  it('migration 1 creates the settings, keys and ledger tables', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 1));
    expect(tables(db)).toEqual(expect.arrayContaining(['settings', 'issuers', 'keys', 'events', 'vouchers', 'pin_attempts']));
    expect(db.pragma('user_version', { simple: true })).toBe(1);
  });

  it('keep the data of an existing database and apply only what is pending, in one transaction', () => {
    const f = file();
    const db = new Database(f);
    migrate(db, migrations.slice(0, 1));
    db.prepare("INSERT INTO settings (key, value) VALUES ('cashier', 'amy')").run();
    const failing: Migration = { name: 'breaks', up: (d) => d.exec('CREATE TABLE half (x); SELECT nope FROM nowhere;') };
    expect(() => migrate(db, [migrations[0]!, failing])).toThrow();
    // Nothing of the failed step stays, the version did not move, the data is there.
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(tables(db)).not.toContain('half');
    const ok: Migration = { name: 'adds', up: (d) => d.exec('CREATE TABLE extra (x)') };
    migrate(db, [migrations[0]!, ok]);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare("SELECT value FROM settings WHERE key = 'cashier'").get()).toEqual({ value: 'amy' });
    db.close();
  });

  it('refuse a list with a migration twice', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [migrations[0]!, migrations[0]!])).toThrow(/same name/);
  });

  it('migration 2 adds products, revocations, campaigns and points, keeping the ledger', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.slice(0, 1));
    db.prepare("INSERT INTO events (id, type, device, at) VALUES ('E1', 'redemption', 'D', 1)").run();
    migrate(db, migrations.slice(0, 2));
    expect(tables(db)).toEqual(expect.arrayContaining(['products', 'revocations', 'campaigns', 'campaign_usage', 'points_entries', 'holder_points']));
    expect(db.prepare('SELECT id, cmp FROM events').all()).toEqual([{ id: 'E1', cmp: null }]);
  });

  it('refuse a database from a newer VoucherDesk and leave it untouched', () => {
    const f = file();
    const db = new Database(f);
    db.exec('CREATE TABLE future (x)');
    db.pragma(`user_version = ${LATEST_VERSION + 5}`);
    db.close();
    const before = readFileSync(f);
    let err: unknown;
    try {
      openDatabase(f);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'db.fromTheFuture' });
    expect(readFileSync(f).equals(before)).toBe(true);
  });
});
