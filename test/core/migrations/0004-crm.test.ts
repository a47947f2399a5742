import { describe, expect, it } from 'vitest';
import { migrate } from '../../../main/core/db/migrate';
import { migrations } from '../../../main/core/db/migrations';
import { databaseAt, schemaOf, shippedSchema, tables, version } from './schema';

const person = (id: string, nameKey: string, phone: string | null) => ({ id, nameKey, phone });

describe('migration 4: member CRM', () => {
  it('turns version 3 into the shipped version 4 schema, keeping the ledger and the outbox', () => {
    const db = databaseAt(3);
    db.prepare("INSERT INTO events (id, type, device, at, member) VALUES ('E1', 'redemption', 'D', 1, 'M1')").run();
    db.prepare("INSERT INTO sync_outbox (id, body) VALUES ('E1', '{\"id\":\"E1\"}')").run();
    migrate(db, migrations.slice(0, 4));
    expect(version(db)).toBe(4);
    expect(tables(db)).toEqual(expect.arrayContaining(['crm_people', 'crm_search', 'crm_holders', 'crm_links', 'crm_vouchers', 'crm_events']));
    expect(schemaOf(db)).toEqual(shippedSchema(4));
    expect(db.prepare('SELECT id, member FROM events').all()).toEqual([{ id: 'E1', member: 'M1' }]);
    expect(db.prepare('SELECT id, status FROM sync_outbox').all()).toEqual([{ id: 'E1', status: null }]);
    // The ledger's events are found by member.
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM events WHERE member = 'M1'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/events_member/);
    db.close();
  });

  it('keeps the search in step with the people (added, changed, removed), by any part of a name or phone', () => {
    const db = databaseAt(4);
    const add = db.prepare('INSERT INTO crm_people (id, name_key, phone_norm, created_at, updated_at) VALUES (@id, @nameKey, @phone, 1, 1)');
    add.run(person('P1', 'wang xiaoming', '+8613800138000'));
    add.run(person('P2', 'li lei', null));
    const find = (q: string) =>
      (db.prepare('SELECT p.id FROM crm_search s JOIN crm_people p ON p.rowid = s.rowid WHERE crm_search MATCH ? ORDER BY p.id').all(`"${q}"`) as { id: string }[]).map((r) => r.id);
    expect(find('xiaom')).toEqual(['P1']);
    expect(find('8001')).toEqual(['P1']);
    expect(find('lei')).toEqual(['P2']);
    db.prepare("UPDATE crm_people SET name_key = 'han meimei' WHERE id = 'P2'").run();
    expect(find('lei')).toEqual([]);
    expect(find('meimei')).toEqual(['P2']);
    db.prepare("DELETE FROM crm_people WHERE id = 'P1'").run();
    expect(find('xiaom')).toEqual([]);
    db.close();
  });

  it('gives one person, phone or e-mail one welcome voucher, and links no one to themself', () => {
    const db = databaseAt(4);
    const welcome = db.prepare(
      "INSERT INTO crm_vouchers (jti, iss, purpose, person, phone_norm, token, terms, issued_at) VALUES (?, 'merchant:M', 'welcome', ?, ?, 't', '{}', 1)",
    );
    welcome.run('W1', 'P1', '+861');
    expect(() => welcome.run('W2', 'P1', null)).toThrow(/UNIQUE/);
    expect(() => welcome.run('W3', 'P2', '+861')).toThrow(/UNIQUE/);
    welcome.run('W4', 'P2', '+862');
    expect(() => db.prepare("INSERT INTO crm_links (id, a, b, kind, created_at) VALUES ('L', 'P1', 'P1', 'friend', 1)").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO crm_events (id, type, at, device) VALUES ('X', 'member.deleted', 1, 'D')").run()).toThrow(/CHECK/);
    db.close();
  });
});
