import type Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/core/db/open';
import { LATEST_VERSION } from '../../../main/core/db/migrations';
import { dbFile, schemaOf, shippedDatabase, shippedSchema, version } from './schema';

/** Rows a workstation of each version might hold, table by table (the tables exist from that version on). */
const ROWS: [number, string, Record<string, unknown>][] = [
  [1, 'settings', { key: 'cashier', value: 'amy' }],
  [1, 'events', { id: 'E1', type: 'redemption', iss: 'I', jti: 'J', device: 'D', at: 1, units: 1 }],
  [1, 'vouchers', { iss: 'I', jti: 'J', kind: 'count', face: 3, used: 1, uses: 1, last_event: 'E1' }],
  [2, 'products', { sku: 'S1', name: 'Tea' }],
  [2, 'campaign_usage', { id: 'C', used: 2 }],
  [3, 'sync_outbox', { id: 'E1', body: '{}' }],
  [4, 'crm_people', { id: 'P1', name: 'Wang', name_key: 'wang', created_at: 1, updated_at: 1 }],
  [6, 'staff', { id: 'S1', name: 'Amy', role: 'cashier', pin_hash: 'h', pin_salt: 's', pin_kdf: '{}', created_at: 1, updated_at: 1 }],
  [9, 'campaign_allotments', { id: 'C', granted: 5, consumed: 2 }],
];

function fill(db: Database.Database, upTo: number): void {
  for (const [from, table, row] of ROWS) {
    if (from > upTo) continue;
    const cols = Object.keys(row);
    db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`).run(row);
  }
}

function contents(db: Database.Database, upTo: number): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [from, table] of ROWS) if (from <= upTo) out[table] = db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all();
  return out;
}

describe('a workstation database written by an earlier VoucherDesk', () => {
  it(`at today's version (${LATEST_VERSION}) opens unchanged: the same schema, version and rows`, () => {
    const file = dbFile();
    const old = shippedDatabase(LATEST_VERSION, file);
    fill(old, LATEST_VERSION);
    const schema = schemaOf(old);
    const rows = contents(old, LATEST_VERSION);
    old.close();

    const db = openDatabase(file);
    expect(version(db)).toBe(LATEST_VERSION);
    expect(schemaOf(db)).toEqual(schema);
    expect(contents(db, LATEST_VERSION)).toEqual(rows);
    db.close();
  });

  it('a new database gets exactly the schema the shipped versions built', () => {
    const db = openDatabase(dbFile());
    expect(schemaOf(db)).toEqual(shippedSchema(LATEST_VERSION));
    db.close();
  });

  for (let v = 1; v < LATEST_VERSION; v++) {
    it(`at version ${v} is brought to version ${LATEST_VERSION}, keeping its rows`, () => {
      const file = dbFile();
      const old = shippedDatabase(v, file);
      fill(old, v);
      const rows = contents(old, v);
      old.close();

      const db = openDatabase(file);
      expect(version(db)).toBe(LATEST_VERSION);
      expect(schemaOf(db)).toEqual(shippedSchema(LATEST_VERSION));
      const after = contents(db, v);
      // Migration 2 added events.cmp and migration 9 events.allot (NULL for the events before them).
      const added = { ...(v < 2 ? { cmp: null } : {}), ...(v < 9 ? { allot: null } : {}) };
      expect(after).toEqual({ ...rows, events: (rows.events ?? []).map((e) => ({ ...(e as object), ...added })) });
      db.close();
    });
  }
});
