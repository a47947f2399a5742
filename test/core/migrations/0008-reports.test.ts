import { describe, expect, it } from 'vitest';
import { migrate } from '../../../main/core/db/migrate';
import { migrations } from '../../../main/core/db/migrations';
import { databaseAt, schemaOf, shippedSchema, version } from './schema';

describe('migration 8: the report indexes', () => {
  it('turns version 7 into the shipped version 8 schema, keeping the ledger', () => {
    const db = databaseAt(7);
    db.prepare("INSERT INTO events (id, type, device, at, cashier, sku) VALUES ('E1', 'redemption', 'D', 1, 'amy', 'TEA')").run();
    migrate(db, migrations.slice(0, 8));
    expect(version(db)).toBe(8);
    expect(schemaOf(db)).toEqual(shippedSchema(8));
    expect(db.prepare('SELECT id FROM events').all()).toEqual([{ id: 'E1' }]);
    db.close();
  });

  it('serves the history newest first by a cashier, a product or a time range without a sort', () => {
    const db = databaseAt(8);
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    const page = (where: string) => plan(`SELECT * FROM events e WHERE ${where} ORDER BY e.at DESC, e.seq DESC LIMIT 50`);
    expect(page("e.cashier = 'amy'")).toMatch(/USING INDEX events_cashier_at/);
    expect(page("e.sku = 'TEA'")).toMatch(/USING INDEX events_sku_at/);
    expect(page('e.at >= 1 AND e.at < 2')).toMatch(/USING INDEX events_at/);
    for (const where of ["e.cashier = 'amy'", "e.sku = 'TEA'", 'e.at >= 1 AND e.at < 2', '1']) expect(page(where)).not.toMatch(/TEMP B-TREE/);
    db.close();
  });
});
