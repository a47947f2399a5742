import { describe, expect, it } from 'vitest';
import { migrate } from '../../../main/core/db/migrate';
import { migrations } from '../../../main/core/db/migrations';
import { databaseAt, schemaOf, shippedSchema, tables, version } from './schema';

describe('migration 3: sync outbox, conflicts, closed days', () => {
  it('turns version 2 into the shipped version 3 schema, keeping the ledger and the campaigns', () => {
    const db = databaseAt(2);
    db.prepare("INSERT INTO events (id, type, device, at, cmp) VALUES ('E1', 'redemption', 'D', 1, 'C')").run();
    db.prepare("INSERT INTO campaigns (id, name, stock, source, updated_at) VALUES ('C', 'Spring', 5, 'local', 1)").run();
    migrate(db, migrations.slice(0, 3));
    expect(version(db)).toBe(3);
    expect(tables(db)).toEqual(expect.arrayContaining(['sync_outbox', 'sync_conflicts', 'sync_days']));
    expect(schemaOf(db)).toEqual(shippedSchema(3));
    expect(db.prepare('SELECT id, cmp FROM events').all()).toEqual([{ id: 'E1', cmp: 'C' }]);
    expect(db.prepare('SELECT id, stock FROM campaigns').all()).toEqual([{ id: 'C', stock: 5 }]);
    // Existing events are not queued for upload by the migration: the outbox starts empty.
    expect(db.prepare('SELECT count(*) AS n FROM sync_outbox').get()).toEqual({ n: 0 });
    db.close();
  });

  it('holds each event once in the outbox, waiting (status NULL) or with a known answer, and finds the waiting ones by index', () => {
    const db = databaseAt(3);
    const put = db.prepare("INSERT INTO sync_outbox (id, body, status) VALUES (?, '{}', ?)");
    put.run('E1', null);
    put.run('E2', 'stored');
    expect(() => put.run('E1', null)).toThrow(/UNIQUE/);
    expect(() => put.run('E3', 'lost')).toThrow(/CHECK/);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT seq FROM sync_outbox WHERE status IS NULL ORDER BY seq').all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/sync_outbox_waiting/);
    db.close();
  });
});
