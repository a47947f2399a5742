/**
 * Migration 0005 (issue 14): more unique keys include `mid`, the distribution
 * column on Citus (server/README.md "On a distributed PostgreSQL").
 *
 * - `vouchers`: primary key (mid, vkey) instead of (vkey), and a plain index
 *   on vkey for the lookups by voucher alone (revocation, refusing another
 *   merchant's voucher). A vkey stays unique across merchants because mint
 *   checks it while holding every merchant's row (server/admin.ts `mint`,
 *   scope 'platform'), not because of the key.
 * - `imports`: primary key (mid, sha256) instead of (sha256); a batch file's
 *   bytes name its merchant in its header, so the same file never belongs to
 *   two merchants, and the import names the pair in its ON CONFLICT.
 *
 * `devices` and `changes` follow in migration 0007
 * (server/migrate-feeds-devices.ts).
 *
 * SQLite keeps its single-column keys (one file, one writer: nothing to
 * distribute) and gains the (mid, sha256) key the import's ON CONFLICT names.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './db';

export function moreMerchantKeys(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect === 'postgres') {
        await sql`alter table vouchers drop constraint vouchers_pkey`.execute(db);
        await sql`alter table vouchers add constraint vouchers_pkey primary key (mid, vkey)`.execute(db);
        await sql`create index vouchers_vkey on vouchers (vkey)`.execute(db);
        await sql`alter table imports drop constraint imports_pkey`.execute(db);
        await sql`alter table imports add constraint imports_pkey primary key (mid, sha256)`.execute(db);
      } else {
        await sql`create unique index imports_mid_sha256 on imports (mid, sha256)`.execute(db);
      }
    },
  };
}
