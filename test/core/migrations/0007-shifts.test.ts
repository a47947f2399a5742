import { describe, expect, it } from 'vitest';
import { migrate } from '../../../main/core/db/migrate';
import { migrations } from '../../../main/core/db/migrations';
import { databaseAt, schemaOf, shippedSchema, tables, version } from './schema';

describe('migration 7: shifts', () => {
  it('turns version 6 into the shipped version 7 schema, keeping the ledger', () => {
    const db = databaseAt(6);
    db.prepare("INSERT INTO events (id, type, device, at) VALUES ('E1', 'redemption', 'D', 1)").run();
    migrate(db, migrations.slice(0, 7));
    expect(version(db)).toBe(7);
    expect(tables(db)).toEqual(expect.arrayContaining(['shifts', 'refusals']));
    expect(schemaOf(db)).toEqual(shippedSchema(7));
    expect(db.prepare('SELECT id FROM events').all()).toEqual([{ id: 'E1' }]);
    db.close();
  });

  it('allows one open shift per workstation, any number of closed ones', () => {
    const db = databaseAt(7);
    const open = db.prepare('INSERT INTO shifts (id, device, opened_at, opened_by, closed_at) VALUES (?, ?, 1, ?, ?)');
    open.run('S1', 'POS-1', 'Amy', 5);
    open.run('S2', 'POS-1', 'Bo', 9);
    open.run('S3', 'POS-1', 'Cy', null);
    open.run('S4', 'POS-2', 'Di', null);
    expect(() => open.run('S5', 'POS-1', 'Ed', null)).toThrow(/UNIQUE/);
    db.close();
  });
});
