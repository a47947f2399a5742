import Database from 'better-sqlite3-multiple-ciphers';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/core/db/open';
import { checkMigrations, migrate, type Migration } from '../../../main/core/db/migrate';
import { LATEST_VERSION, migrations } from '../../../main/core/db/migrations';
import { databaseAt, dbFile, tables, version } from './schema';

const step = (v: number, name = `step ${v}`): Migration => ({ version: v, name, up: (d) => d.exec(`CREATE TABLE t${v} (x)`) });

describe('migrations', () => {
  it('are numbered 1, 2, 3 … in the list, and each has its own name', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(LATEST_VERSION).toBe(migrations.length);
    expect(new Set(migrations.map((m) => m.name)).size).toBe(migrations.length);
  });

  it('bring an empty database to the latest version, with WAL and synchronous=FULL on every open', () => {
    const f = dbFile();
    const db = openDatabase(f);
    expect(version(db)).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
    const again = openDatabase(f);
    expect(again.pragma('synchronous', { simple: true })).toBe(2);
    again.close();
  });

  it('keep the data of an existing database and apply only what is pending, in one transaction', () => {
    const db = databaseAt(1);
    db.prepare("INSERT INTO settings (key, value) VALUES ('cashier', 'amy')").run();
    const failing: Migration = { version: 2, name: 'breaks', up: (d) => d.exec('CREATE TABLE half (x); SELECT nope FROM nowhere;') };
    expect(() => migrate(db, [migrations[0]!, failing])).toThrow();
    // Nothing of the failed step stays, the version did not move, the data is there.
    expect(version(db)).toBe(1);
    expect(tables(db)).not.toContain('half');
    const ok: Migration = { version: 2, name: 'adds', up: (d) => d.exec('CREATE TABLE extra (x)') };
    migrate(db, [migrations[0]!, ok]);
    expect(version(db)).toBe(2);
    expect(db.prepare("SELECT value FROM settings WHERE key = 'cashier'").get()).toEqual({ value: 'amy' });
    db.close();
  });

  it('apply several pending migrations together, in order', () => {
    const db = new Database(dbFile());
    const ran: number[] = [];
    const list = [1, 2, 3].map((v) => ({ ...step(v), up: () => void ran.push(v) }));
    migrate(db, list.slice(0, 1));
    migrate(db, list);
    expect(ran).toEqual([1, 2, 3]);
    expect(version(db)).toBe(3);
    db.close();
  });

  it('refuse a list with a migration twice', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [migrations[0]!, migrations[0]!])).toThrow(/same name/);
  });

  it('refuse a list whose versions are out of order, repeat, skip one or do not start at 1, before touching the database', () => {
    const bad: [Migration[], RegExp][] = [
      [[step(1), step(2), step(1, 'again')], /out of order or repeated/],
      [[step(1), step(1, 'again')], /out of order or repeated/],
      [[step(1), step(3), step(2)], /skips a version/],
      [[step(2), step(1)], /skips a version/],
      [[step(1), step(3)], /skips a version/],
      [[step(0)], /out of order or repeated/],
    ];
    for (const [list, why] of bad) {
      expect(() => checkMigrations(list), list.map((m) => m.version).join(',')).toThrow(why);
      const db = new Database(':memory:');
      expect(() => migrate(db, list)).toThrow(why);
      expect(tables(db)).toEqual([]);
      expect(version(db)).toBe(0);
      db.close();
    }
    expect(checkMigrations([step(1), step(2), step(3)])).toBe(3);
    expect(checkMigrations([])).toBe(0);
  });

  it('refuse a database from a newer VoucherDesk and leave it untouched', () => {
    const f = dbFile();
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
