import { describe, expect, it } from 'vitest';
import { migrate } from '../../../main/core/db/migrate';
import { migrations } from '../../../main/core/db/migrations';
import { AuditLog } from '../../../main/core/audit/audit';
import { OWNER } from '../../../main/core/staff/roles';
import { databaseAt, schemaOf, shippedSchema, tables, version } from './schema';

describe('migration 5: the audit log', () => {
  it('turns version 4 into the shipped version 5 schema, keeping the ledger', () => {
    const db = databaseAt(4);
    db.prepare("INSERT INTO events (id, type, device, at) VALUES ('E1', 'redemption', 'D', 1)").run();
    migrate(db, migrations.slice(0, 5));
    expect(version(db)).toBe(5);
    expect(tables(db)).toContain('audit');
    expect(schemaOf(db)).toEqual(shippedSchema(5));
    expect(db.prepare('SELECT id FROM events').all()).toEqual([{ id: 'E1' }]);
    db.close();
  });

  it('is append-only: a written line cannot be changed or removed, and lists newest first', () => {
    const db = databaseAt(5);
    const audit = new AuditLog(db);
    const cashier = { name: 'Amy', role: 'cashier' as const, staffId: 'S1' };
    audit.record('signIn', cashier, { how: 'pin' }, null, 1000);
    audit.record('undo', cashier, { event: 'E1' }, { name: 'Bo', role: 'manager', staffId: 'S2' }, 2000);
    audit.record('settings', OWNER, { key: 'toleranceSeconds' }, null, 3000);
    expect(() => db.prepare("UPDATE audit SET actor = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    const all = audit.list();
    expect(all.map((e) => e.action)).toEqual(['settings', 'undo', 'signIn']);
    expect(all[1]).toMatchObject({ actor: 'Amy', role: 'cashier', staffId: 'S1', approver: 'Bo', detail: { event: 'E1' } });
    expect(audit.list({ from: 1500, to: 3000 }).map((e) => e.action)).toEqual(['undo']);
    expect(audit.list({ limit: 1, beforeSeq: all[0]!.seq }).map((e) => e.action)).toEqual(['undo']);
    db.close();
  });
});
