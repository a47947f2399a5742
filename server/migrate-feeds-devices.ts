/**
 * Migration 0007 (issue 14): the last unique keys without `mid` get it, so
 * every table can be distributed by merchant on Citus, or is a small
 * reference table (server/distribution.ts, server/README.md).
 *
 * - `devices`: primary key (mid, id). A request names its device
 *   (X-Device-Id), not its merchant, so `device_merchants (id → mid)`, a
 *   reference table, says which merchant a device id belongs to; it also keeps
 *   a device id unique across merchants, as before (server/devices.ts).
 * - `changes`: primary key (mid, seq), `mid` not null. Each merchant numbers
 *   its own changes from its row in `feeds` (mid → last_seq), and platform-wide
 *   changes (mid null until now) move to `platform_changes` (a reference
 *   table) with the numbers they had (server/feeds.ts). Every counter starts
 *   at the largest number used so far, so a cursor a device already holds
 *   stays valid: it skips nothing and sees nothing twice.
 *
 * - Event ids are per merchant (key (mid, id), as on PostgreSQL since 0004):
 *   SQLite's `events` loses the unique key on `id` alone it had from 0001.
 *
 * SQLite (one file, one writer: nothing to distribute) keeps the key of
 * `devices`; its `changes` table is rebuilt with the key (mid, seq), since a
 * per-merchant number cannot be SQLite's row id, and `events` is rebuilt from
 * its own definition without `unique` on `id` (SQLite cannot drop a
 * constraint), keeping every column, row, row id and index.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './db';

/** Each merchant's change counter (server/feeds.ts): the newest number of its feed. */
export interface FeedTable {
  mid: string;
  last_seq: number;
}

/** Changes for every merchant (issuer keys, campaigns for all), kept once (server/feeds.ts). */
export interface PlatformChangeTable {
  seq: number;
  body: string;
}

/** Which merchant a device id belongs to: a request names its device, the key of `devices` is (mid, id). */
export interface DeviceMerchantTable {
  id: string;
  mid: string;
}

export function merchantFeedsAndDevices(dialect: Dialect): Migration {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      const run = (q: string) => sql.raw(q).execute(db);
      await run(`create table device_merchants (id text primary key, mid text not null)`);
      await run(`insert into device_merchants (id, mid) select id, mid from devices`);
      await run(`create table feeds (mid text primary key, last_seq ${bigint} not null)`);
      await run(`insert into feeds (mid, last_seq) select id, (select coalesce(max(seq), 0) from changes) from merchants`);
      await run(`create table platform_changes (seq ${bigint} primary key, body text not null)`);
      await run(`insert into platform_changes (seq, body) select seq, body from changes where mid is null`);
      if (dialect === 'postgres') {
        await run(`alter table devices drop constraint devices_pkey`);
        await run(`alter table devices add constraint devices_pkey primary key (mid, id)`);
        await run(`delete from changes where mid is null`);
        await run(`alter table changes alter column seq drop default`);
        await run(`drop sequence if exists changes_seq_seq`);
        await run(`alter table changes alter column mid set not null`);
        await run(`alter table changes drop constraint changes_pkey`);
        await run(`alter table changes add constraint changes_pkey primary key (mid, seq)`);
        await run(`drop index changes_mid`);
      } else {
        await run(`create table changes_by_merchant (mid text not null, seq integer not null, skip_device text, to_device text, body text not null, primary key (mid, seq))`);
        await run(`insert into changes_by_merchant (mid, seq, skip_device, to_device, body) select mid, seq, skip_device, to_device, body from changes where mid is not null`);
        await run(`drop table changes`);
        await run(`alter table changes_by_merchant rename to changes`);
        await eventIdsPerMerchant(db);
      }
    },
  };
}

/** SQLite: rebuild `events` from its stored definition without the unique key on `id` alone (0001's `"id" text not null unique`). */
async function eventIdsPerMerchant(db: Kysely<unknown>): Promise<void> {
  const table = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'events'`.execute(db);
  const indexes = await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and tbl_name = 'events' and sql is not null`.execute(db);
  const create = table.rows[0]!.sql;
  const unique = /"id" text not null unique/i;
  if (!unique.test(create)) throw new Error('migration 0007: events is not defined as expected (no unique key on id alone)');
  await sql.raw(create.replace(/^create table "events"/i, 'create table "events_by_merchant"').replace(unique, '"id" text not null')).execute(db);
  await sql`insert into events_by_merchant select * from events`.execute(db);
  await sql`drop table events`.execute(db);
  await sql`alter table events_by_merchant rename to events`.execute(db);
  for (const i of indexes.rows) await sql.raw(i.sql).execute(db);
}
