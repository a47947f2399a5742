import type Database from 'better-sqlite3';
import { UserError } from '../errors';
import { syncMigration } from '../sync/schema';
import { crmSchema } from '../crm/schema';

/**
 * Schema changes, one small function each, in order. The version is kept in
 * PRAGMA user_version; all pending migrations run in one transaction at open;
 * a database written by a newer VoucherDesk is refused, never guessed at.
 */
export interface Migration {
  name: string;
  up(db: Database.Database): void;
}

/**
 * In order; a migration's version is its position (the first is 1). Append
 * new ones at the end, never reorder or edit one that has shipped.
 */
export const migrations: Migration[] = [
  {
    name: 'settings, keys, ledger',
    up(db) {
      db.exec(`
        CREATE TABLE settings (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE issuers (
          iss  TEXT PRIMARY KEY,
          name TEXT NOT NULL
        ) WITHOUT ROWID;

        -- Public parts in the clear; private parts only as a protected blob.
        CREATE TABLE keys (
          role         TEXT NOT NULL CHECK (role IN ('merchant-encryption', 'merchant-signing', 'issuer')),
          kid          TEXT NOT NULL,
          iss          TEXT REFERENCES issuers(iss),
          kty          TEXT NOT NULL,
          crv          TEXT,
          bits         INTEGER,
          public_jwk   TEXT NOT NULL,
          private_blob BLOB,
          fingerprint  TEXT NOT NULL,
          source       TEXT NOT NULL,
          added_at     INTEGER NOT NULL,
          PRIMARY KEY (role, kid)
        ) WITHOUT ROWID;

        -- The append-only ledger. A mistake is undone by a reversal event.
        CREATE TABLE events (
          seq      INTEGER PRIMARY KEY,
          id       TEXT NOT NULL UNIQUE,
          type     TEXT NOT NULL CHECK (type IN ('redemption', 'reversal')),
          iss      TEXT,
          jti      TEXT,
          mid      TEXT,
          sku      TEXT,
          kind     TEXT,
          branch   TEXT,
          device   TEXT NOT NULL,
          cashier  TEXT,
          at       INTEGER NOT NULL,
          units    INTEGER,
          amount   INTEGER,
          cur      TEXT,
          reverses TEXT UNIQUE REFERENCES events(id),
          reason   TEXT,
          by       TEXT,
          member   TEXT,
          offline  INTEGER NOT NULL DEFAULT 1,
          remote   INTEGER NOT NULL DEFAULT 0,
          extra    TEXT
        );
        CREATE INDEX events_voucher ON events(iss, jti, seq);

        -- What is used of each voucher, maintained with every event (and
        -- recomputable from the events), so a redemption never scans.
        CREATE TABLE vouchers (
          iss        TEXT NOT NULL,
          jti        TEXT NOT NULL,
          kind       TEXT NOT NULL,
          face       INTEGER NOT NULL,
          cur        TEXT,
          max_uses   INTEGER,
          used       INTEGER NOT NULL DEFAULT 0 CHECK (used >= 0 AND used <= face),
          uses       INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0),
          last_event TEXT,
          PRIMARY KEY (iss, jti)
        ) WITHOUT ROWID;

        -- Wrong PINs per voucher on this workstation.
        CREATE TABLE pin_attempts (
          iss          TEXT NOT NULL,
          jti          TEXT NOT NULL,
          failures     INTEGER NOT NULL,
          locked_until INTEGER,
          PRIMARY KEY (iss, jti)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    name: 'products, revocations, campaigns, points',
    up(db) {
      db.exec(`
        -- The platform's product ids, named for the counter.
        CREATE TABLE products (
          sku     TEXT PRIMARY KEY,
          name    TEXT NOT NULL,
          price   INTEGER,
          cur     TEXT,
          picture TEXT
        ) WITHOUT ROWID;

        -- Vouchers the issuer has withdrawn (refunded, fraud …).
        CREATE TABLE revocations (
          iss    TEXT NOT NULL,
          jti    TEXT NOT NULL,
          reason TEXT NOT NULL,
          at     INTEGER NOT NULL,
          source TEXT NOT NULL,
          PRIMARY KEY (iss, jti)
        ) WITHOUT ROWID;

        -- Local campaign rules; stock counts units redeemed on this workstation.
        CREATE TABLE campaigns (
          id         TEXT PRIMARY KEY,
          name       TEXT NOT NULL,
          stock      INTEGER CHECK (stock IS NULL OR stock >= 0),
          starts     INTEGER,
          ends       INTEGER,
          hours      TEXT,
          source     TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE campaign_usage (
          id   TEXT PRIMARY KEY,
          used INTEGER NOT NULL DEFAULT 0 CHECK (used >= 0)
        ) WITHOUT ROWID;
        ALTER TABLE events ADD COLUMN cmp TEXT;

        -- Points credited to the holders of a shared voucher: one entry per
        -- holder per redemption, negated by a reversal; holder_points is their sum.
        CREATE TABLE points_entries (
          id       TEXT PRIMARY KEY,
          event_id TEXT NOT NULL REFERENCES events(id),
          holder   TEXT NOT NULL,
          role     TEXT NOT NULL CHECK (role IN ('redeemer', 'holder')),
          delta    INTEGER NOT NULL,
          at       INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX points_by_event ON points_entries(event_id);
        CREATE INDEX points_by_holder ON points_entries(holder, at);
        CREATE TABLE holder_points (
          holder TEXT PRIMARY KEY,
          points INTEGER NOT NULL
        ) WITHOUT ROWID;
      `);
    },
  },
  syncMigration,
  { name: 'member crm', up: crmSchema },
];

export const LATEST_VERSION = migrations.length;

/** Refuses a database written by a newer VoucherDesk; reads only, so the file stays as it was. */
export function refuseFromTheFuture(db: Database.Database, latest = LATEST_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) {
    throw new UserError(
      'db.fromTheFuture',
      `This database was written by a newer VoucherDesk (schema ${current}, this version knows ${latest}). Update VoucherDesk; the database was not changed.`,
      { found: current, known: latest },
    );
  }
}

export function migrate(db: Database.Database, list: Migration[] = migrations): void {
  const names = new Set(list.map((m) => m.name));
  if (names.size !== list.length) throw new Error('Two migrations have the same name');
  const latest = list.length;
  refuseFromTheFuture(db, latest);
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current === latest) return;
  db.transaction(() => {
    for (const m of list.slice(current)) m.up(db);
    db.pragma(`user_version = ${latest}`);
  }).immediate();
}
