import { describe, expect, it } from 'vitest';
import { migrate } from '../../../main/core/db/migrate';
import { migrations } from '../../../main/core/db/migrations';
import { databaseAt, schemaOf, shippedSchema, tables, version } from './schema';

describe('migration 9: campaign stock', () => {
  it('turns version 8 into the shipped version 9 schema, keeping campaigns (lenient) and events (no allot)', () => {
    const db = databaseAt(8);
    db.prepare("INSERT INTO campaigns (id, name, stock, source, updated_at) VALUES ('OPEN-WEEK', 'Opening week', 200, 'sync', 1)").run();
    db.prepare("INSERT INTO events (id, type, device, at, units, cmp) VALUES ('E1', 'redemption', 'D', 1, 1, 'OPEN-WEEK')").run();
    migrate(db, migrations.slice(0, 9));
    expect(version(db)).toBe(9);
    expect(schemaOf(db)).toEqual(shippedSchema(9));
    expect(db.prepare('SELECT id, mode, owner_mode FROM campaigns').all()).toEqual([{ id: 'OPEN-WEEK', mode: 'lenient', owner_mode: null }]);
    expect(db.prepare('SELECT id, allot FROM events').all()).toEqual([{ id: 'E1', allot: null }]);
    expect(tables(db)).toEqual(expect.arrayContaining(['campaign_counts', 'campaign_allotments', 'campaign_uncounted', 'campaign_oversells']));
    db.close();
  });

  it('keeps modes and counts sane: only strict or lenient, no negative grant, an oversell once per event', () => {
    const db = databaseAt(9);
    db.prepare("INSERT INTO campaigns (id, name, source, updated_at) VALUES ('C', 'C', 'admin', 1)").run();
    expect(() => db.prepare("UPDATE campaigns SET mode = 'loose'").run()).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE campaigns SET owner_mode = 'loose'").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO campaign_allotments (id, granted) VALUES ('C', -1)").run()).toThrow(/CHECK/);
    db.prepare("INSERT INTO campaign_oversells (event_id, campaign, units, reported_at) VALUES ('E1', 'C', 1, 1)").run();
    expect(() => db.prepare("INSERT INTO campaign_oversells (event_id, campaign, units, reported_at) VALUES ('E1', 'C', 1, 2)").run()).toThrow(/UNIQUE|PRIMARY/);
    db.close();
  });

  it('reads a campaign\'s recent redemptions by its index', () => {
    const db = databaseAt(9);
    const plan = (db.prepare("EXPLAIN QUERY PLAN SELECT sum(units) FROM events WHERE cmp = 'C' AND at >= 5").all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan).toMatch(/USING INDEX events_cmp_at/);
    db.close();
  });
});
