/** Helpers for the migration tests: real database files, and the schema as SQLite keeps it. */
import Database from 'better-sqlite3-multiple-ciphers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { migrate } from '../../../main/core/db/migrate';
import { migrations } from '../../../main/core/db/migrations';
import { tempDir } from '../../support/workstation';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A fresh path for a database file in its own folder, removed after the test. */
export function dbFile(): string {
  const t = tempDir('vd-mig-');
  cleanups.push(t.cleanup);
  return join(t.dir, 'voucherdesk.db');
}

/** A database file at `version`, brought there by the migrations up to it. */
export function databaseAt(version: number, file = dbFile()): Database.Database {
  const db = new Database(file);
  migrate(db, migrations.slice(0, version));
  return db;
}

/** The DDL a shipped version wrote, from test/fixtures/schema/v<N>.sql. */
export function shippedDdl(version: number): string {
  return readFileSync(join(__dirname, '../../fixtures/schema', `v${version}.sql`), 'utf8');
}

/** A database file built from a shipped version's DDL alone, with that version in user_version: what a workstation holds. */
export function shippedDatabase(version: number, file = dbFile()): Database.Database {
  const db = new Database(file);
  db.exec(shippedDdl(version));
  db.pragma(`user_version = ${version}`);
  return db;
}

/** Every table, index, trigger and view with its definition (comments and spacing aside), sorted. */
export function schemaOf(db: Database.Database): string[] {
  const rows = db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master').all() as {
    type: string;
    name: string;
    tbl_name: string;
    sql: string | null;
  }[];
  const clean = (sql: string | null) => (sql ?? '').replace(/--[^\n]*/g, ' ').replace(/\s+/g, ' ').trim();
  return rows.map((r) => `${r.type} ${r.name} ON ${r.tbl_name}: ${clean(r.sql)}`).sort();
}

/** The schema of a shipped version, as a fresh database built from its DDL has it. */
export function shippedSchema(version: number): string[] {
  const db = new Database(':memory:');
  try {
    db.exec(shippedDdl(version));
    return schemaOf(db);
  } finally {
    db.close();
  }
}

export const tables = (db: Database.Database): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

export const version = (db: Database.Database): number => db.pragma('user_version', { simple: true }) as number;
