import type { Db } from '../open';

/** Version 2: product names, revocations, campaigns with their stock, and holders' points. */
export const name = 'products, revocations, campaigns, points';

export function up(db: Db): void {
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
}
