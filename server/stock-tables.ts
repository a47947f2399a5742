/** The tables of campaign stock (migration 0006, server/migrate-campaign-stock.ts). */

/** Per merchant and campaign: the stock and what is taken of it. */
export interface CampaignCountTable {
  mid: string;
  campaign: string;
  /** null: no limit (the campaign lost its stock; counts are still kept). */
  stock: number | null;
  /** Stock units of the merchant's stored, live redemptions of the campaign's vouchers. */
  redeemed: number;
  /** The sum of the merchant's devices' held allotments (granted − consumed). */
  reserved: number;
}

/** Per merchant, campaign and device: its allotment. */
export interface AllotmentTable {
  mid: string;
  campaign: string;
  device: string;
  /** Cumulative units granted, less those given back. */
  granted: number;
  /** Cumulative `allot` units of the device's stored redemptions. */
  consumed: number;
}

/** A redemption that pushed redeemed + reserved past the stock. */
export interface OversellTable {
  mid: string;
  event: string;
  campaign: string;
  device: string | null;
  units: number;
  /** The event's `at` (ms), for the settlement's day. */
  at_ms: number;
}

/** The tables of migration 0006, part of the server's schema (server/db.ts). */
export interface StockTables {
  campaign_counts: CampaignCountTable;
  allotments: AllotmentTable;
  oversells: OversellTable;
}
