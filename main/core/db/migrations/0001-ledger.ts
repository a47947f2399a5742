import type { Db } from '../open';

/** Version 1: settings, the key store and the ledger (events, what is used of each voucher, wrong PINs). */
export const name = 'settings, keys, ledger';

export function up(db: Db): void {
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
}
