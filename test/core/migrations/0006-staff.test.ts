import { describe, expect, it } from 'vitest';
import { migrate } from '../../../main/core/db/migrate';
import { migrations } from '../../../main/core/db/migrations';
import { databaseAt, schemaOf, shippedSchema, tables, version } from './schema';

describe('migration 6: staff accounts', () => {
  it('turns version 5 into the shipped version 6 schema, keeping the ledger and the audit log', () => {
    const db = databaseAt(5);
    db.prepare("INSERT INTO events (id, type, device, at) VALUES ('E1', 'redemption', 'D', 1)").run();
    db.prepare("INSERT INTO audit (at, action, actor, role) VALUES (1, 'settings', 'owner', 'owner')").run();
    migrate(db, migrations.slice(0, 6));
    expect(version(db)).toBe(6);
    expect(tables(db)).toContain('staff');
    expect(schemaOf(db)).toEqual(shippedSchema(6));
    expect(db.prepare('SELECT id FROM events').all()).toEqual([{ id: 'E1' }]);
    expect(db.prepare('SELECT count(*) AS n FROM audit').get()).toEqual({ n: 1 });
    db.close();
  });

  it('one account per name whatever its case, a known role, active 0 or 1', () => {
    const db = databaseAt(6);
    const add = db.prepare("INSERT INTO staff (id, name, role, pin_hash, pin_salt, pin_kdf, active, created_at, updated_at) VALUES (?, ?, ?, 'h', 's', '{}', ?, 1, 1)");
    add.run('S1', 'Amy', 'cashier', 1);
    expect(() => add.run('S2', 'AMY', 'cashier', 1)).toThrow(/UNIQUE/);
    expect(() => add.run('S3', 'Bo', 'boss', 1)).toThrow(/CHECK/);
    expect(() => add.run('S4', 'Cy', 'manager', 2)).toThrow(/CHECK/);
    expect(db.prepare('SELECT badge_nonce FROM staff').get()).toEqual({ badge_nonce: null });
    db.close();
  });
});
