/* eslint-disable @typescript-eslint/no-explicit-any -- rows of the old schema (before 0007) have no type here */
/**
 * Issue 14: the schema can be distributed by merchant (Citus needs the
 * distribution column in every unique key). Checked from PostgreSQL's catalog
 * of a freshly migrated database: every table is either distributed by `mid`
 * or a reference table (server/distribution.ts), and every unique index of a
 * distributed table includes `mid`. Citus itself is not installable here
 * (no Debian package, nothing on npm), so this runs on plain PostgreSQL.
 *
 * And migration 0007 on both backends: a database at 0005 with changes for
 * one merchant, for everyone and for one device keeps every device's feed as
 * it was, cursors included, and numbers new changes after it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { addChange, changesFor, formatCursor } from '../../server/changes';
import { migrations, openServerDb, type Dialect } from '../../server/db';
import { authenticate, hashToken } from '../../server/devices';
import { BY_MERCHANT, citusStatements, REFERENCE } from '../../server/distribution';
import { writeTx } from '../../server/tx';
import { BACKENDS, newDatabase } from './support';

const tmp = mkdtempSync(join(tmpdir(), 'vd-dist-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!(BACKENDS as readonly string[]).includes('postgres'))('the schema on PostgreSQL, as Citus would distribute it', () => {
  it('every table is distributed by mid or a reference table, and every unique key of a distributed table includes mid', async () => {
    const sdb = await openServerDb({ database: await newDatabase('postgres', tmp) });
    try {
      const tables = (await sql<{ t: string }>`select tablename as t from pg_tables where schemaname = 'public' and tablename not like 'kysely_%' order by 1`.execute(sdb.db)).rows.map((r) => r.t);
      expect([...tables].sort()).toEqual([...BY_MERCHANT, ...REFERENCE].sort());
      const unique = (
        await sql<{ t: string; i: string; cols: string[] }>`
          select c.relname as t, ic.relname as i, array_agg(a.attname::text order by a.attnum) as cols
          from pg_index x join pg_class c on c.oid = x.indrelid join pg_class ic on ic.oid = x.indexrelid
          join pg_namespace n on n.oid = c.relnamespace join pg_attribute a on a.attrelid = c.oid and a.attnum = any(x.indkey)
          where n.nspname = 'public' and x.indisunique group by c.relname, ic.relname order by 1, 2`.execute(sdb.db)
      ).rows;
      const distributed = unique.filter((u) => (BY_MERCHANT as readonly string[]).includes(u.t));
      // Every distributed table has at least its primary key, and no unique key without mid.
      expect(new Set(distributed.map((u) => u.t))).toEqual(new Set(BY_MERCHANT));
      expect(distributed.filter((u) => !u.cols.includes('mid'))).toEqual([]);
      // Every distributed table has the column to distribute by, not null.
      const mids = (await sql<{ t: string; nullable: string }>`select table_name as t, is_nullable as nullable from information_schema.columns where table_schema = 'public' and column_name = 'mid'`.execute(sdb.db)).rows;
      for (const t of BY_MERCHANT) expect(mids.find((m) => m.t === t)?.nullable).toBe('NO');
      expect(citusStatements()).toHaveLength(tables.length);
    } finally {
      await sdb.close();
    }
  });
});

function at0005(dialect: Dialect, database: string): Kysely<any> {
  return dialect === 'postgres'
    ? new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database, max: 2 }) }) })
    : new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(database) }) });
}

describe.each(BACKENDS)('migration 0007 on %s', (backend) => {
  it('keeps every device feed and cursor as it was, finds devices by id, and numbers new changes after the old ones', async () => {
    const dialect: Dialect = backend === 'postgres' ? 'postgres' : 'sqlite';
    const database = await newDatabase(backend, tmp);
    const old = at0005(dialect, database);
    const all = migrations(dialect);
    const upTo0005 = Object.fromEntries(Object.entries(all).filter(([name]) => name <= '0005'));
    const r = await new Migrator({ db: old, provider: { getMigrations: async () => upTo0005 } }).migrateToLatest();
    expect(r.error).toBeUndefined();
    const now = new Date().toISOString();
    for (const m of ['M1', 'M2']) {
      await old.insertInto('merchants').values({ id: m, name: m, share_bp: 8500, cur: 'CNY', utc_offset_min: 0, enc_kid: 'k', enc_type: 'X25519', enc_private_jwk: '{}', enc_public_jwk: '{}', sig_kid: null, sig_private_jwk: null, sig_public_jwk: null, created_at: now }).execute();
    }
    for (const [id, mid] of [['D1', 'M1'], ['D2', 'M1'], ['E1', 'M2']]) {
      await old.insertInto('devices').values({ id, mid, branch: null, token_hash: hashToken(`t-${id}`), created_at: now, revoked_at: null }).execute();
    }
    // Interleaved as the old single numbering made them: for everyone, per merchant, per device, skipping a device.
    const rows: [string | null, string | null, string | null, string][] = [
      [null, null, null, 'k1'],
      ['M1', 'D1', null, 'r1'],
      ['M2', null, null, 'z1'],
      [null, null, null, 'k2'],
      ['M1', null, 'D2', 'c1'],
      ['M1', null, null, 'v1'],
      ['M2', 'E1', null, 'z2'],
    ];
    for (const [mid, skip, to, tag] of rows) await old.insertInto('changes').values({ mid, skip_device: skip, to_device: to, body: JSON.stringify({ type: 'revocation', iss: 'gb.test', jti: tag, at: now, reason: tag }) }).execute();
    const event = (id: string, mid: string) => ({ id, mid, type: 'redemption', vkey: null, origin: 'D1', device: 'D1', branch: null, at: now, at_ms: Date.parse(now), units: 1, amount: null, reverses: null, status: 'stored', reversed_by: null, body: '{}', result: '{}', received_at: now });
    await old.insertInto('events').values([event('EV1', 'M1'), event('EV2', 'M1')]).execute();
    const eventsBefore = await old.selectFrom('events').select(['seq', 'id', 'mid']).orderBy('seq').execute();
    // What each device would have read before, and the old numbers.
    const expected = async (dev: string, mid: string) =>
      (await old.selectFrom('changes').select(['seq', 'body']).where((eb: any) => eb.or([eb('mid', '=', mid), eb('mid', 'is', null)])).orderBy('seq').execute())
        .filter((c: any) => {
          const row = rows[Number(c.seq) - 1]!;
          return row[1] !== dev && (row[2] === null || row[2] === dev);
        })
        .map((c: any) => ({ seq: Number(c.seq), jti: JSON.parse(c.body).jti as string }));
    const before = { D1: await expected('D1', 'M1'), D2: await expected('D2', 'M1'), E1: await expected('E1', 'M2') };
    expect(before.D1.map((c) => c.jti)).toEqual(['k1', 'k2', 'v1']);
    expect(before.D2.map((c) => c.jti)).toEqual(['k1', 'r1', 'k2', 'c1', 'v1']);
    await old.destroy();

    const sdb = await openServerDb({ database });
    try {
      for (const [dev, mid] of [['D1', 'M1'], ['D2', 'M1'], ['E1', 'M2']] as const) {
        const device = await authenticate(sdb, dev, `t-${dev}`);
        expect(device).toEqual({ id: dev, mid, branch: null });
        const want = before[dev];
        const page = await changesFor(sdb, device!, 0, 500);
        expect(page.changes.map((c: any) => c.jti)).toEqual(want.map((c) => c.jti));
        expect(page.cursor).toBe(formatCursor(rows.length)); // the newest number as before: nothing re-read
        // Any cursor held before the migration reads exactly the rest.
        for (const c of want) {
          const rest = await changesFor(sdb, device!, c.seq, 500);
          expect(rest.changes.map((x: any) => x.jti)).toEqual(want.filter((w) => w.seq > c.seq).map((w) => w.jti));
        }
      }
      expect(await authenticate(sdb, 'D1', 't-D2')).toBeNull();
      // Events kept with their numbers; an id is now unique per merchant only.
      expect(await sdb.db.selectFrom('events').select(['seq', 'id', 'mid']).orderBy('seq').execute()).toEqual(eventsBefore.map((e: any) => ({ ...e, seq: Number(e.seq) })));
      await sdb.db.insertInto('events').values({ ...event('EV1', 'M2') }).execute();
      await expect(sdb.db.insertInto('events').values({ ...event('EV1', 'M2') }).execute()).rejects.toThrow(/unique|duplicate/i);
      // A new change is numbered after every old one.
      await writeTx(sdb, (trx) => addChange(trx, 'M2', { type: 'revocation', iss: 'gb.test', jti: 'new', at: now, reason: 'new' }));
      const e1 = (await authenticate(sdb, 'E1', 't-E1'))!;
      const next = await changesFor(sdb, e1, rows.length, 500);
      expect(next.changes.map((c: any) => c.jti)).toEqual(['new']);
      expect(next.cursor).toBe(formatCursor(rows.length + 1));
    } finally {
      await sdb.close();
    }
  });
});
