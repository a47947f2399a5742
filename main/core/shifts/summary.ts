/** A shift's summary, counted from the ledger's own events and the refused scans of one workstation. */
import type { ShiftCashierLine, ShiftSummary, ShiftView, Verdict } from '../../../preload/contract';
import type { Db } from '../db/open';
import { parseUndoReason } from './undo';

interface EventLine {
  id: string;
  type: 'redemption' | 'reversal';
  cashier: string | null;
  at: number;
  units: number | null;
  amount: number | null;
  kind: string | null;
  reverses: string | null;
  reason: string | null;
  /** The product's price (fen) where the product list has one. */
  price: number | null;
}

/** The name a line is counted under when an event has no cashier (before names were set). */
export const NO_CASHIER = '—';

export class ShiftCounter {
  private readonly events;
  private readonly refusals;

  constructor(db: Db) {
    // This workstation's own events (not those synced from others), in the window.
    this.events = db.prepare<[string, number, number], EventLine>(
      `SELECT e.id, e.type, e.cashier, e.at, e.units, e.amount, e.kind, e.reverses, e.reason, p.price
         FROM events e LEFT JOIN products p ON p.sku = e.sku
        WHERE e.remote = 0 AND e.device = ? AND e.at >= ? AND e.at < ? ORDER BY e.seq`,
    );
    this.refusals = db.prepare<[string, number, number], { cashier: string | null; verdict: Verdict; n: number }>(
      'SELECT cashier, verdict, COUNT(*) AS n FROM refusals WHERE device = ? AND at >= ? AND at < ? GROUP BY cashier, verdict ORDER BY cashier, verdict',
    );
  }

  /** The summary of `shift` up to its closing, or up to `now` while it is open. */
  summarize(shift: ShiftView, now: number): ShiftSummary {
    const until = shift.closedAt ?? Math.max(now, shift.openedAt);
    // `until` is included: an event at the very instant of the close belongs to the shift.
    const end = until + 1;
    const lines = new Map<string, ShiftCashierLine>();
    const line = (cashier: string | null): ShiftCashierLine => {
      const name = cashier || NO_CASHIER;
      let l = lines.get(name);
      if (!l) lines.set(name, (l = { cashier: name, redemptions: 0, units: 0, value: 0, undos: [], refusals: {} }));
      return l;
    };
    for (const e of this.events.all(shift.device, shift.openedAt, end)) {
      const l = line(e.cashier);
      if (e.type === 'redemption') {
        l.redemptions++;
        // Value as the reports count it: a stored-value voucher's amount, or units × the product's price where known.
        if (e.kind === 'value') l.value += e.amount ?? 0;
        else {
          l.units += e.units ?? 0;
          l.value += (e.units ?? 0) * (e.price ?? 0);
        }
      } else {
        const { code, text } = parseUndoReason(e.reason);
        l.undos.push({ eventId: e.id, reverses: e.reverses, at: e.at, code, text, units: e.units, amount: e.amount });
      }
    }
    for (const r of this.refusals.all(shift.device, shift.openedAt, end)) {
      const l = line(r.cashier);
      l.refusals[r.verdict] = (l.refusals[r.verdict] ?? 0) + r.n;
    }
    const cashiers = [...lines.values()].sort((a, b) => a.cashier.localeCompare(b.cashier));
    const totals = { redemptions: 0, units: 0, value: 0, undos: 0, refusals: 0 };
    for (const l of cashiers) {
      totals.redemptions += l.redemptions;
      totals.units += l.units;
      totals.value += l.value;
      totals.undos += l.undos.length;
      totals.refusals += Object.values(l.refusals).reduce((a, n) => a + (n ?? 0), 0);
    }
    return { shift, until, cashiers, totals };
  }
}
