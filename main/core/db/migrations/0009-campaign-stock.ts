import type { Db } from '../open';

/**
 * Version 9: campaign stock across branches (issue 15, docs/spec/sync-protocol.md
 * "Campaign stock (protocol 2)"). Per campaign: the mode (the platform's default,
 * and the owner's choice on this workstation when made), the server's last count,
 * this workstation's allotment (granted as the server last said, consumed: the
 * cumulative `allot` units of its own redemptions), the stock units of local
 * events the server's count does not include yet, and the oversells the server
 * reported (once per event). Each redemption keeps the `allot` units it took.
 */
export const name = 'campaign stock';

export function up(db: Db): void {
  db.exec(`
    ALTER TABLE campaigns ADD COLUMN mode TEXT NOT NULL DEFAULT 'lenient' CHECK (mode IN ('strict', 'lenient'));
    ALTER TABLE campaigns ADD COLUMN owner_mode TEXT CHECK (owner_mode IS NULL OR owner_mode IN ('strict', 'lenient'));
    ALTER TABLE events ADD COLUMN allot INTEGER CHECK (allot IS NULL OR allot >= 0);
    CREATE INDEX events_cmp_at ON events(cmp, at) WHERE cmp IS NOT NULL;

    -- The campaign's counts as the server last gave them (POST /v1/allotments).
    CREATE TABLE campaign_counts (
      id         TEXT PRIMARY KEY,
      stock      INTEGER,
      redeemed   INTEGER NOT NULL CHECK (redeemed >= 0),
      reserved   INTEGER NOT NULL CHECK (reserved >= 0),
      counted_at INTEGER NOT NULL
    ) WITHOUT ROWID;

    -- This workstation's share: it may redeem granted - consumed more units offline.
    -- server_extra: allotted units the server counts as consumed here that no
    -- redemption in this ledger took (an online-first one refused or withdrawn).
    CREATE TABLE campaign_allotments (
      id           TEXT PRIMARY KEY,
      granted      INTEGER NOT NULL DEFAULT 0 CHECK (granted >= 0),
      consumed     INTEGER NOT NULL DEFAULT 0 CHECK (consumed >= 0),
      server_extra INTEGER NOT NULL DEFAULT 0 CHECK (server_extra >= 0)
    ) WITHOUT ROWID;

    -- Stock units of this workstation's events (+ redemption, - reversal) that
    -- the server's last count does not include: removed once a count includes them.
    CREATE TABLE campaign_uncounted (
      event_id TEXT PRIMARY KEY,
      campaign TEXT NOT NULL,
      units    INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX campaign_uncounted_by_campaign ON campaign_uncounted(campaign);

    -- Units of this workstation's redemptions the server reported beyond the stock.
    CREATE TABLE campaign_oversells (
      event_id    TEXT PRIMARY KEY,
      campaign    TEXT,
      units       INTEGER NOT NULL CHECK (units > 0),
      reported_at INTEGER NOT NULL
    ) WITHOUT ROWID;
  `);
}
