/**
 * The shift and day slips print the core's own figures: a shift's summary as
 * the shifts keep it, a day's as the reports count it in the merchant's time
 * zone. The page only says which shift or day.
 */
import type { DaySlipSummary, ShiftSlipSummary, ShiftSummary, Summary } from '../../../preload/contract';

export function shiftSlipOf(s: ShiftSummary): ShiftSlipSummary {
  return {
    from: s.shift.openedAt,
    to: s.shift.closedAt,
    cur: 'CNY',
    cashiers: s.cashiers.map((c) => ({ name: c.cashier, redemptions: c.redemptions, units: c.units, valueFen: c.value, undos: c.undos.length })),
  };
}

export function daySlipOf(day: string, s: Summary): DaySlipSummary {
  const positive = (n: number) => Math.max(0, n);
  return {
    day,
    cur: 'CNY',
    products: s.products.map((p) => ({ name: p.product ?? p.sku ?? '-', redemptions: p.redemptions, units: positive(p.units), valueFen: positive(p.value) })),
    cashiers: s.cashiers.map((c) => ({ name: c.cashier ?? '-', redemptions: c.redemptions, units: positive(c.units), valueFen: positive(c.value), undos: c.reversals })),
  };
}
