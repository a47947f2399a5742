/**
 * The reference server's database: SQLite (better-sqlite3) by default, or
 * PostgreSQL by configuration (`postgres://…`), through Kysely. One set of
 * migrations serves both; the only dialect difference is the type of the
 * auto-numbered columns (INTEGER PRIMARY KEY in SQLite, BIGSERIAL in
 * PostgreSQL).
 *
 * Writes run through `writeTx` (server/tx.ts): on PostgreSQL they lock only
 * the rows of the merchants they touch (never the whole database), so any
 * number of server processes can share one database.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Generated,
  type Migration,
  type MigrationProvider,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { merchantKeys } from './migrate-merchant-keys';
import { moreMerchantKeys } from './migrate-more-keys';
import { campaignStock } from './migrate-campaign-stock';
import type { StockTables } from './stock-tables';
import { merchantFeedsAndDevices, type DeviceMerchantTable, type FeedTable, type PlatformChangeTable } from './migrate-feeds-devices';

export type { DeviceMerchantTable, FeedTable, PlatformChangeTable } from './migrate-feeds-devices';

export interface SettingTable {
  name: string;
  value: string;
}

export interface IssuerKeyTable {
  kid: string;
  iss: string;
  alg: string;
  private_jwk: string;
  public_jwk: string;
  /** active (signs new vouchers), rotated (verifies old ones), retired (no longer trusted). */
  status: string;
  created_at: string;
}

export interface MerchantTable {
  id: string;
  name: string;
  /** Revenue share in basis points (8500 = 85.00 %). */
  share_bp: number;
  cur: string;
  /** Minutes east of UTC used to cut days for settlement (480 = UTC+08:00). */
  utc_offset_min: number;
  enc_kid: string;
  enc_type: string;
  enc_private_jwk: string;
  enc_public_jwk: string;
  sig_kid: string | null;
  sig_private_jwk: string | null;
  sig_public_jwk: string | null;
  created_at: string;
}

export interface BranchTable {
  mid: string;
  id: string;
  name: string;
}

export interface DeviceTable {
  id: string;
  mid: string;
  branch: string | null;
  /** SHA-256 of the token, hex. The token itself is never stored. */
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface VoucherTable {
  /** JSON.stringify([iss, jti]): one text key for both dialects. */
  vkey: string;
  iss: string;
  jti: string;
  mid: string;
  kind: string;
  qty: number | null;
  val: number | null;
  cur: string | null;
  use_cap: number | null;
  /** Price of one unit (item/gift) in minor units, for settlement; 0 when unknown. */
  unit_price: number;
  cmp: string | null;
  exp: number | null;
  /**
   * The voucher's validity start, its `nbf` claim (seconds; null when absent,
   * or for vouchers minted before migration 0002). A redemption's `at` may not
   * be earlier, less the clock tolerance (server/event-time.ts).
   */
  nbf: number | null;
  /**
   * When this server minted it (seconds, its own clock; not the `iat` claim,
   * which nothing checks); null before migration 0003. A redemption's `at`
   * may not be earlier, less the clock tolerance (server/event-time.ts).
   */
  issued_at: number | null;
  minted_at: string;
  /** What the stored (non-conflict, non-reversed) redemptions took. */
  used_units: number;
  used_amount: number;
  used_events: number;
}

export interface EventTable {
  seq: Generated<number>;
  id: string;
  mid: string;
  type: string;
  vkey: string | null;
  /** The uploading device (changes skip it). */
  origin: string;
  device: string | null;
  branch: string | null;
  at: string;
  at_ms: number;
  units: number | null;
  amount: number | null;
  reverses: string | null;
  /** stored | conflict (redemptions); stored (reversals). */
  status: string;
  reversed_by: string | null;
  body: string;
  /** The first answer, JSON: what a retry is answered with. */
  result: string;
  received_at: string;
}

export interface ChangeTable {
  /** The merchant's own numbering (server/feeds.ts); key (mid, seq) since migration 0007. */
  seq: number;
  mid: string;
  /** A device that must not receive it (its own events). */
  skip_device: string | null;
  /** Only this device receives it (conflicts: one row per device involved). */
  to_device: string | null;
  body: string;
}

export interface RevocationTable {
  vkey: string;
  iss: string;
  jti: string;
  at: string;
  reason: string;
}

export interface CampaignTable {
  id: string;
  mid: string | null;
  body: string;
  updated_at: string;
}

export interface ImportTable {
  sha256: string;
  mid: string;
  device: string;
  imported_at: string;
  receipt: string;
}

/** The tables; campaign stock's are in server/stock-tables.ts. */
export interface ServerSchema extends StockTables {
  settings: SettingTable;
  issuer_keys: IssuerKeyTable;
  merchants: MerchantTable;
  branches: BranchTable;
  devices: DeviceTable;
  vouchers: VoucherTable;
  events: EventTable;
  changes: ChangeTable;
  feeds: FeedTable;
  platform_changes: PlatformChangeTable;
  device_merchants: DeviceMerchantTable;
  revocations: RevocationTable;
  campaigns: CampaignTable;
  imports: ImportTable;
}

export type Dialect = 'sqlite' | 'postgres';

export interface ServerDb {
  db: Kysely<ServerSchema>;
  dialect: Dialect;
  /** Where it lives, for messages (a file path, or the URL without password). */
  where: string;
  close(): Promise<void>;
}

export type Tx = Transaction<ServerSchema>;

/** Every migration of the server database, by name (exported for the migration tests). */
export function migrations(dialect: Dialect): Record<string, Migration> {
  const serial = dialect === 'postgres' ? sql`bigserial` : sql`integer`;
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    '0001-initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('settings')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('issuer_keys')
          .addColumn('kid', 'text', (c) => c.primaryKey())
          .addColumn('iss', 'text', (c) => c.notNull())
          .addColumn('alg', 'text', (c) => c.notNull())
          .addColumn('private_jwk', 'text', (c) => c.notNull())
          .addColumn('public_jwk', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('merchants')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('share_bp', 'integer', (c) => c.notNull())
          .addColumn('cur', 'text', (c) => c.notNull())
          .addColumn('utc_offset_min', 'integer', (c) => c.notNull())
          .addColumn('enc_kid', 'text', (c) => c.notNull())
          .addColumn('enc_type', 'text', (c) => c.notNull())
          .addColumn('enc_private_jwk', 'text', (c) => c.notNull())
          .addColumn('enc_public_jwk', 'text', (c) => c.notNull())
          .addColumn('sig_kid', 'text')
          .addColumn('sig_private_jwk', 'text')
          .addColumn('sig_public_jwk', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('branches')
          .addColumn('mid', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('branches_pk', ['mid', 'id'])
          .execute();
        await db.schema
          .createTable('devices')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('mid', 'text', (c) => c.notNull())
          .addColumn('branch', 'text')
          .addColumn('token_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('revoked_at', 'text')
          .execute();
        await db.schema
          .createTable('vouchers')
          .addColumn('vkey', 'text', (c) => c.primaryKey())
          .addColumn('iss', 'text', (c) => c.notNull())
          .addColumn('jti', 'text', (c) => c.notNull())
          .addColumn('mid', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('qty', 'integer')
          .addColumn('val', bigint)
          .addColumn('cur', 'text')
          .addColumn('use_cap', 'integer')
          .addColumn('unit_price', bigint, (c) => c.notNull())
          .addColumn('cmp', 'text')
          .addColumn('exp', bigint)
          .addColumn('minted_at', 'text', (c) => c.notNull())
          .addColumn('used_units', bigint, (c) => c.notNull())
          .addColumn('used_amount', bigint, (c) => c.notNull())
          .addColumn('used_events', 'integer', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('events')
          .addColumn('seq', serial, (c) => c.primaryKey())
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('mid', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('vkey', 'text')
          .addColumn('origin', 'text', (c) => c.notNull())
          .addColumn('device', 'text')
          .addColumn('branch', 'text')
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('at_ms', bigint, (c) => c.notNull())
          .addColumn('units', bigint)
          .addColumn('amount', bigint)
          .addColumn('reverses', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('reversed_by', 'text')
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('result', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('events_vkey').on('events').columns(['vkey', 'status']).execute();
        await db.schema.createIndex('events_mid_at').on('events').columns(['mid', 'at_ms']).execute();
        await db.schema
          .createTable('changes')
          .addColumn('seq', serial, (c) => c.primaryKey())
          .addColumn('mid', 'text')
          .addColumn('skip_device', 'text')
          .addColumn('to_device', 'text')
          .addColumn('body', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('changes_mid').on('changes').columns(['mid', 'seq']).execute();
        await db.schema
          .createTable('revocations')
          .addColumn('vkey', 'text', (c) => c.primaryKey())
          .addColumn('iss', 'text', (c) => c.notNull())
          .addColumn('jti', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('campaigns')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('mid', 'text')
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('imports')
          .addColumn('sha256', 'text', (c) => c.primaryKey())
          .addColumn('mid', 'text', (c) => c.notNull())
          .addColumn('device', 'text', (c) => c.notNull())
          .addColumn('imported_at', 'text', (c) => c.notNull())
          .addColumn('receipt', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0002-voucher-validity': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('vouchers').addColumn('nbf', bigint).execute();
      },
    },
    '0003-voucher-issue-time': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('vouchers').addColumn('issued_at', bigint).execute();
      },
    },
    '0004-merchant-keys': merchantKeys(dialect),
    '0005-more-merchant-keys': moreMerchantKeys(dialect),
    '0006-campaign-stock': campaignStock(dialect),
    '0007-merchant-feeds-and-devices': merchantFeedsAndDevices(dialect),
  };
}

class CodeMigrations implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.dialect);
  }
}

export interface OpenOptions {
  /** `postgres://…` / `postgresql://…`, or a SQLite file path. */
  database?: string;
  /** Used when `database` is absent: DIR/server.sqlite. */
  dataDir?: string;
  /** SQLite: how long a write waits for another process's lock (default 5000 ms). */
  busyTimeoutMs?: number;
}

/** The SQLite file used for a data directory. */
export function sqlitePathFor(dataDir: string): string {
  return join(resolve(dataDir), 'server.sqlite');
}

/** Open (and migrate) the server database. */
export async function openServerDb(opts: OpenOptions): Promise<ServerDb> {
  const database = opts.database;
  let out: ServerDb;
  if (database && /^postgres(ql)?:\/\//.test(database)) {
    // bigint (int8) columns come back as numbers: our values stay far below 2^53.
    pg.types.setTypeParser(20, (v) => Number(v));
    const pool = new pg.Pool({ connectionString: database, max: 10 });
    const db = new Kysely<ServerSchema>({ dialect: new PostgresDialect({ pool }) });
    out = {
      db,
      dialect: 'postgres',
      where: database.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@'),
      close: () => db.destroy(),
    };
  } else {
    const file = database ?? sqlitePathFor(opts.dataDir ?? 'server-data');
    mkdirSync(resolve(file, '..'), { recursive: true });
    const sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
    sqlite.pragma('foreign_keys = ON');
    const db = new Kysely<ServerSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
    out = { db, dialect: 'sqlite', where: file, close: () => db.destroy() };
  }
  const migrator = new Migrator({ db: out.db, provider: new CodeMigrations(out.dialect) });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await out.close();
    throw error instanceof Error ? error : new Error(String(error));
  }
  return out;
}
