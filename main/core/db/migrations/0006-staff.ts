import type { Db } from '../open';

/**
 * Version 6: staff accounts. A PIN is kept only as a slow KDF's hash, with the
 * KDF's parameters and salt on the same row (so they can be raised later
 * without a migration); a badge is a merchant-signed code carrying the row's
 * `badge_nonce`, and issuing a new one replaces the nonce, which withdraws the
 * old badge. (Wrong PINs are counted in the settings: staff/lockout.ts.)
 * Accounts are never deleted: one that leaves is made inactive, so the names on
 * past events and audit lines keep meaning someone.
 */
export const name = 'staff accounts';

export function up(db: Db): void {
  db.exec(`
    CREATE TABLE staff (
      id           TEXT PRIMARY KEY,
      name         TEXT NOT NULL COLLATE NOCASE UNIQUE,
      role         TEXT NOT NULL CHECK (role IN ('cashier', 'manager', 'owner')),
      pin_hash     TEXT NOT NULL,
      pin_salt     TEXT NOT NULL,
      pin_kdf      TEXT NOT NULL,
      badge_nonce  TEXT,
      active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      created_at   INTEGER NOT NULL,
      updated_at   INTEGER NOT NULL
    );
  `);
}
