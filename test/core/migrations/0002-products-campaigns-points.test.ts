import { describe, expect, it } from 'vitest';
import { migrate } from '../../../main/core/db/migrate';
import { migrations } from '../../../main/core/db/migrations';
import { databaseAt, schemaOf, shippedSchema, tables, version } from './schema';

describe('migration 2: products, revocations, campaigns, points', () => {
  it('turns version 1 into the shipped version 2 schema, keeping the ledger', () => {
    const db = databaseAt(1);
    db.prepare("INSERT INTO events (id, type, device, at) VALUES ('E1', 'redemption', 'D', 1)").run();
    db.prepare("INSERT INTO vouchers (iss, jti, kind, face, used, uses, last_event) VALUES ('I', 'J', 'count', 3, 1, 1, 'E1')").run();
    migrate(db, migrations.slice(0, 2));
    expect(version(db)).toBe(2);
    expect(tables(db)).toEqual(expect.arrayContaining(['products', 'revocations', 'campaigns', 'campaign_usage', 'points_entries', 'holder_points']));
    expect(schemaOf(db)).toEqual(shippedSchema(2));
    expect(db.prepare('SELECT id, cmp FROM events').all()).toEqual([{ id: 'E1', cmp: null }]);
    expect(db.prepare('SELECT jti, used, last_event FROM vouchers').all()).toEqual([{ jti: 'J', used: 1, last_event: 'E1' }]);
    db.close();
  });

  it('refuses a negative campaign stock and points for an event that is not in the ledger', () => {
    const db = databaseAt(2);
    db.pragma('foreign_keys = ON');
    expect(() => db.prepare("INSERT INTO campaigns (id, name, stock, source, updated_at) VALUES ('C', 'c', -1, 'local', 1)").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO points_entries (id, event_id, holder, role, delta, at) VALUES ('P', 'nope', 'h', 'holder', 1, 1)").run()).toThrow(/FOREIGN KEY/);
    db.close();
  });
});
