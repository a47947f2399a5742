/**
 * Migration 0006 (issue 15): campaign stock held across branches
 * (docs/spec/sync-protocol.md "Campaign stock"). Every key starts with `mid`
 * (issue 14: the tables can be distributed by merchant).
 *
 * - `campaign_counts` (mid, campaign): the campaign's `stock` for this
 *   merchant (null: no limit), `redeemed` (stock units of its stored, live
 *   redemptions) and `reserved` (the sum of its devices' held allotments).
 *   A row exists once the campaign has had a stock for the merchant; it is
 *   locked FOR UPDATE (after the vouchers, before the merchant's row) by
 *   every write that changes it (server/stock.ts).
 * - `allotments` (mid, campaign, device): `granted` (cumulative, less what was
 *   given back) and `consumed` (the `allot` units of the device's stored
 *   redemptions); held = granted − consumed.
 * - `oversells` (mid, event): each redemption that pushed redeemed + reserved
 *   past the stock, with its campaign, device, units and time (settlement).
 * - `vouchers_mid_cmp`: the vouchers of a campaign, to count what they took
 *   when a campaign gets its stock.
 *
 * The CHECKs hold what is always true: counts never below 0 and a device
 * never having consumed more than it was granted. `redeemed + reserved ≤
 * stock` is NOT a CHECK: offline redemptions beyond an allotment may push
 * past it (each unit an oversell), and an owner may lower a stock below what
 * is taken. What the server promises instead (a grant and an online-first
 * redemption never take more than is free) is checked in code while the
 * campaign's count row is locked. New tables take their CHECKs in SQLite too
 * (only ALTER TABLE cannot add one, hence the triggers of migration 0004).
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './db';

export function campaignStock(dialect: Dialect): Migration {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('campaign_counts')
        .addColumn('mid', 'text', (c) => c.notNull())
        .addColumn('campaign', 'text', (c) => c.notNull())
        .addColumn('stock', bigint)
        .addColumn('redeemed', bigint, (c) => c.notNull())
        .addColumn('reserved', bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('campaign_counts_pk', ['mid', 'campaign'])
        .addCheckConstraint('campaign_counts_within', sql`redeemed >= 0 and reserved >= 0 and (stock is null or stock >= 0)`)
        .execute();
      await db.schema
        .createTable('allotments')
        .addColumn('mid', 'text', (c) => c.notNull())
        .addColumn('campaign', 'text', (c) => c.notNull())
        .addColumn('device', 'text', (c) => c.notNull())
        .addColumn('granted', bigint, (c) => c.notNull())
        .addColumn('consumed', bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('allotments_pk', ['mid', 'campaign', 'device'])
        .addCheckConstraint('allotments_within', sql`consumed >= 0 and consumed <= granted`)
        .execute();
      await db.schema
        .createTable('oversells')
        .addColumn('mid', 'text', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('campaign', 'text', (c) => c.notNull())
        .addColumn('device', 'text')
        .addColumn('units', bigint, (c) => c.notNull())
        .addColumn('at_ms', bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('oversells_pk', ['mid', 'event'])
        .addCheckConstraint('oversells_units', sql`units >= 1`)
        .execute();
      await db.schema.createIndex('oversells_mid_at').on('oversells').columns(['mid', 'at_ms']).execute();
      await db.schema.createIndex('vouchers_mid_cmp').on('vouchers').columns(['mid', 'cmp']).execute();
    },
  };
}
