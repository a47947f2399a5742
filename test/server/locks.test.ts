/**
 * Issue 14, locks as narrow as the rule: on PostgreSQL an upload locks the
 * vouchers it touches, not its merchant, so while one voucher is held, an
 * upload of the same merchant for another voucher goes through, and the one
 * for the held voucher waits for it. The merchant's change feed stays in the
 * order of its numbers. And the keys Citus needs (migration 0005).
 */
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDevice, createMerchant, initPlatform } from '../../server/admin';
import { changesFor } from '../../server/changes';
import { openServerDb, type ServerDb } from '../../server/db';
import { nowIso, storeEvents, vkeyOf } from '../../server/events';
import { findPostgres, startPgCluster, type PgCluster } from './pg';

const found = findPostgres();
let cluster: PgCluster | undefined;
const open: ServerDb[] = [];
afterAll(async () => {
  for (const s of open) await s.db.destroy();
  cluster?.stop();
});

const redemption = (id: string, jti: string) => ({ id, type: 'redemption', iss: 'gb.test', jti, mid: 'M1', at: new Date(Date.now() - 60_000).toISOString(), units: 1, amount: null, cur: null, cashier: 'amy', member: null, offline: true });

describe.skipIf('missing' in found)('per-voucher locks on PostgreSQL', () => {
  it('an upload for another voucher of the same merchant is not held up by a held voucher; one for the held voucher waits', { timeout: 60_000 }, async () => {
    cluster = await startPgCluster((found as { bin: string }).bin);
    const database = await cluster.createDatabase('locks');
    const sdb = await openServerDb({ database });
    const side = await openServerDb({ database });
    open.push(sdb, side);
    await initPlatform(sdb, { iss: 'gb.test', name: 'Test' });
    await createMerchant(sdb, { id: 'M1', name: 'Lotus', sharePercent: 85 });
    const at0 = nowIso();
    await sdb.db
      .insertInto('vouchers')
      .values(['V0', 'V1'].map((jti) => ({ vkey: vkeyOf('gb.test', jti), iss: 'gb.test', jti, mid: 'M1', kind: 'item', qty: 1, val: null, cur: null, use_cap: null, unit_price: 1000, cmp: null, exp: null, minted_at: at0, used_units: 0, used_amount: 0, used_events: 0 })))
      .execute();
    const d1 = { id: (await createDevice(sdb, { mid: 'M1', id: 'D1', url: 'http://127.0.0.1:1', passphrase: 'pw', p2c: 1000 })).deviceId, mid: 'M1', branch: null };
    const d2 = { id: (await createDevice(sdb, { mid: 'M1', id: 'D2', url: 'http://127.0.0.1:1', passphrase: 'pw', p2c: 1000 })).deviceId, mid: 'M1', branch: null };

    // Another transaction holds voucher V0's row.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = side.db.transaction().execute(async (trx) => {
      await trx.selectFrom('vouchers').select('vkey').where('vkey', '=', vkeyOf('gb.test', 'V0')).forUpdate().execute();
      locked();
      await held;
    });
    await isLocked;

    let waitingDone = false;
    const waiting = storeEvents(sdb, d1, [redemption('01JSLOCK0000000000000000A0', 'V0')]).then((r) => {
      waitingDone = true;
      return r;
    });
    const other = await storeEvents(sdb, d2, [redemption('01JSLOCK0000000000000000B1', 'V1')]);
    expect(other).toEqual([{ id: '01JSLOCK0000000000000000B1', status: 'stored' }]);
    await new Promise((r) => setTimeout(r, 300));
    expect(waitingDone).toBe(false); // V0's upload waits for V0's lock, and held nothing that V1's upload needed

    release();
    await holder;
    expect(await waiting).toEqual([{ id: '01JSLOCK0000000000000000A0', status: 'stored' }]);
    const page = await changesFor(sdb, { id: 'D9', mid: 'M1', branch: null }, 0, 100);
    const ids = (page.changes as { type: string; event?: { id: string } }[]).flatMap((c) => (c.type === 'redemption' && c.event ? [c.event.id] : []));
    expect(ids).toEqual(['01JSLOCK0000000000000000B1', '01JSLOCK0000000000000000A0']);
  });

  it('every unique key of vouchers and imports includes mid (migration 0005), and the import\'s ON CONFLICT names it', { timeout: 60_000 }, async () => {
    cluster ??= await startPgCluster((found as { bin: string }).bin);
    const sdb = await openServerDb({ database: await cluster.createDatabase('keys') });
    open.push(sdb);
    const keys = async (table: string) =>
      (
        await sql<{ name: string; cols: string }>`select c.relname as name, string_agg(a.attname, ',' order by array_position(i.indkey, a.attnum)) as cols
          from pg_index i join pg_class c on c.oid = i.indexrelid join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
          where i.indrelid = ${table}::regclass and i.indisunique group by c.relname order by c.relname`.execute(sdb.db)
      ).rows.map((r) => `${r.name}(${r.cols})`);
    expect(await keys('vouchers')).toEqual(['vouchers_pkey(mid,vkey)']);
    expect(await keys('imports')).toEqual(['imports_pkey(mid,sha256)']);
    expect(await keys('events')).toEqual(['events_mid_id(mid,id)', 'events_pkey(mid,seq)']);
    const row = { sha256: 'ab'.repeat(32), mid: 'M1', device: 'D1', imported_at: nowIso(), receipt: '{}' };
    for (let i = 0; i < 2; i++) await sdb.db.insertInto('imports').values(row).onConflict((oc) => oc.columns(['mid', 'sha256']).doNothing()).execute();
    expect((await sdb.db.selectFrom('imports').selectAll().execute()).length).toBe(1);
  });
});
