/**
 * Issue 14: an upload's statements use the keys, so their cost does not grow
 * with the platform's tables. The bench's pg_stat_statements showed two that
 * did not: the voucher counters (an UPDATE joined to VALUES that PostgreSQL
 * answered by hashing the whole vouchers table) and the duplicate check by
 * event id alone (no index has id first since migration 0004). With 20,000
 * vouchers and events of 8 merchants, analysed, EXPLAIN must show the keys.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openServerDb } from '../../server/db';
import { counterUpdate, counterUpdateArrays } from '../../server/events-write';
import { BACKENDS, newDatabase } from './support';

const tmp = mkdtempSync(join(tmpdir(), 'vd-plans-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!(BACKENDS as readonly string[]).includes('postgres'))('upload statements on PostgreSQL use the keys', () => {
  it('the voucher counters and the duplicate check read by (mid, …), never the whole table', async () => {
    const sdb = await openServerDb({ database: await newDatabase('postgres', tmp) });
    try {
      const n = 20_000;
      await sql`insert into vouchers (vkey, iss, jti, mid, kind, qty, unit_price, minted_at, used_units, used_amount, used_events)
        select '["gb","V' || i || '"]', 'gb', 'V' || i, 'M' || (i % 8), 'item', 1, 0, 'now', 0, 0, 0 from generate_series(0, ${n - 1}) i`.execute(sdb.db);
      await sql`insert into events (id, mid, type, vkey, origin, at, at_ms, status, body, result, received_at)
        select 'E' || i, 'M' || (i % 8), 'redemption', '["gb","V' || i || '"]', 'D', 'now', 0, 'stored', '{}', '{}', 'now' from generate_series(0, ${n - 1}) i`.execute(sdb.db);
      await sql`analyze`.execute(sdb.db);
      const plan = async (q: ReturnType<typeof sql>) => (await sql<{ 'QUERY PLAN': string }>`explain ${q}`.execute(sdb.db)).rows.map((r) => r['QUERY PLAN']).join('\n');

      const part = Array.from({ length: 200 }, (_, k) => ({ mid: 'M0', vkey: `["gb","V${k * 8}"]`, u: 1, a: 0, e: 1 }));
      // Both forms, VALUES (SQLite) and arrays (what PostgreSQL runs): a key probe for each voucher, never a pass over many.
      for (const q of [counterUpdate('M0', part), counterUpdateArrays('M0', part)]) {
        const update = await plan(q);
        expect(update).not.toMatch(/Seq Scan on vouchers|Bitmap Heap Scan on vouchers|Hash Join/);
        expect(update).toMatch(/Nested Loop[\s\S]*Index Scan using vouchers_(pkey|vkey) on vouchers/);
      }

      const ids = Array.from({ length: 500 }, (_, k) => `E${k * 8}`);
      const known = await plan(sdb.db.selectFrom('events').select(['id', 'result', 'body']).where('mid', '=', 'M0').where('id', 'in', ids) as never);
      expect(known).not.toMatch(/Seq Scan on events/);
    } finally {
      await sdb.close();
    }
  });
});
