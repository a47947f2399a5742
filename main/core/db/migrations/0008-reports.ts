import type { Db } from '../open';

/**
 * Version 8: indexes for the reports (main/core/reports). The history is read
 * newest first by time (at, then seq) and narrowed by a time range, a cashier
 * or a product; the summaries read a window of time. Each index ends with the
 * time so a narrowed history is read in order, a page at a time, without a sort.
 */
export const name = 'report indexes';

export function up(db: Db): void {
  db.exec(`
    CREATE INDEX events_at ON events(at);
    CREATE INDEX events_cashier_at ON events(cashier, at) WHERE cashier IS NOT NULL;
    CREATE INDEX events_sku_at ON events(sku, at) WHERE sku IS NOT NULL;
  `);
}
