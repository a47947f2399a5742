/**
 * A summary of a window of time: a day, a shift (its hours, and its cashier
 * when given) or any period, with a line per product and per cashier and the
 * totals. Counted like the close of day (sync/closeday.ts): a redemption that
 * lost a sync conflict counts as a conflict, not a redemption; units and value
 * are net of reversals; value is value vouchers' amounts plus units × the
 * product's price where the product list has one.
 */
import type { CashierLine, ProductLine, Summary, SummaryCounts } from '../../../preload/contract';
import type { Db } from '../db/open';

export interface SummaryWindow {
  from: number;
  to: number;
  cashier?: string | undefined;
}

interface Counted {
  redemptions: number | null;
  reversals: number | null;
  units: number | null;
  value: number | null;
  unpriced: number | null;
}

const COUNTS = `
  sum(e.type = 'redemption') AS redemptions,
  sum(e.type = 'reversal') AS reversals,
  sum((CASE WHEN e.type = 'redemption' THEN 1 ELSE -1 END) * (CASE WHEN e.kind = 'value' THEN 0 ELSE coalesce(e.units, 0) END)) AS units,
  sum((CASE WHEN e.type = 'redemption' THEN 1 ELSE -1 END) * (CASE WHEN e.kind = 'value' THEN coalesce(e.amount, 0) ELSE coalesce(e.units, 0) * coalesce(p.price, 0) END)) AS value,
  sum(coalesce(e.kind, 'item') != 'value' AND p.price IS NULL) AS unpriced`;

function where(w: SummaryWindow): string {
  return `e.at >= @from AND e.at < @to ${w.cashier !== undefined ? 'AND e.cashier = @cashier' : ''}
    AND NOT EXISTS (SELECT 1 FROM sync_conflicts c WHERE c.event_id = coalesce(e.reverses, e.id))`;
}

function params(w: SummaryWindow): Record<string, string | number> {
  return w.cashier !== undefined ? { from: w.from, to: w.to, cashier: w.cashier } : { from: w.from, to: w.to };
}

function counts(r: Counted): SummaryCounts {
  return { redemptions: r.redemptions ?? 0, reversals: r.reversals ?? 0, units: r.units ?? 0, value: r.value ?? 0, valueComplete: !r.unpriced };
}

export function summarize(db: Db, w: SummaryWindow, timeZone: string): Summary {
  const p = params(w);
  const products = db
    .prepare<Record<string, string | number>, Counted & { sku: string | null; product: string | null }>(
      `SELECT e.sku AS sku, max(p.name) AS product, ${COUNTS}
         FROM events e LEFT JOIN products p ON p.sku = e.sku
        WHERE ${where(w)} GROUP BY e.sku ORDER BY coalesce(max(p.name), e.sku)`,
    )
    .all(p)
    .map((r): ProductLine => ({ sku: r.sku, product: r.product, ...counts(r) }));
  const cashiers = db
    .prepare<Record<string, string | number>, Counted & { cashier: string | null }>(
      `SELECT e.cashier AS cashier, ${COUNTS}
         FROM events e LEFT JOIN products p ON p.sku = e.sku
        WHERE ${where(w)} GROUP BY e.cashier ORDER BY e.cashier`,
    )
    .all(p)
    .map((r): CashierLine => ({ cashier: r.cashier, ...counts(r) }));
  const conflicts = db
    .prepare<Record<string, string | number>, { n: number }>(
      `SELECT count(*) AS n FROM events e JOIN sync_conflicts c ON c.event_id = e.id
        WHERE e.at >= @from AND e.at < @to ${w.cashier !== undefined ? 'AND e.cashier = @cashier' : ''}`,
    )
    .get(p)!.n;
  const totals = products.reduce(
    (t, l) => ({
      redemptions: t.redemptions + l.redemptions,
      reversals: t.reversals + l.reversals,
      units: t.units + l.units,
      value: t.value + l.value,
      valueComplete: t.valueComplete && l.valueComplete,
      conflicts: t.conflicts,
    }),
    { redemptions: 0, reversals: 0, units: 0, value: 0, valueComplete: true, conflicts },
  );
  return { from: w.from, to: w.to, cashier: w.cashier ?? null, timeZone, products, cashiers, totals };
}
