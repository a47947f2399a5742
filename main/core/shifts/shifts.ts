/**
 * Shifts at one workstation: at most one open at a time (the database's unique
 * index says so too). Closing counts the summary and keeps it with the shift.
 * Refused scans are noted here as the counter makes them, for the summaries.
 */
import type { ShiftCount, ShiftSummary, ShiftView, Verdict } from '../../../preload/contract';
import type { Db } from '../db/open';
import { UserError } from '../errors';
import { idFactory } from '../ids';
import { ShiftCounter } from './summary';

interface Row {
  id: string;
  device: string;
  branch: string | null;
  opened_at: number;
  opened_by: string;
  opening_vouchers: number | null;
  opening_cash: number | null;
  closed_at: number | null;
  closed_by: string | null;
  closing_vouchers: number | null;
  closing_cash: number | null;
  summary: string | null;
}

/** A count as the counter gives it: either part may be left out. */
export type CountInput = { vouchers?: number | undefined; cash?: number | undefined } | undefined;

const toCount = (vouchers: number | null, cash: number | null): ShiftCount | null => (vouchers === null && cash === null ? null : { vouchers, cash });

function view(r: Row): ShiftView {
  return {
    id: r.id,
    device: r.device,
    branch: r.branch,
    openedAt: r.opened_at,
    openedBy: r.opened_by,
    opening: toCount(r.opening_vouchers, r.opening_cash),
    closedAt: r.closed_at,
    closedBy: r.closed_by,
    closing: toCount(r.closing_vouchers, r.closing_cash),
  };
}

export class Shifts {
  private readonly nextId = idFactory();
  private readonly counter: ShiftCounter;
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.counter = new ShiftCounter(db);
    this.stmts = {
      open: db.prepare<[string], Row>('SELECT * FROM shifts WHERE device = ? AND closed_at IS NULL'),
      byId: db.prepare<[string], Row>('SELECT * FROM shifts WHERE id = ?'),
      list: db.prepare<[string, number, number], Row>('SELECT * FROM shifts WHERE device = ? AND opened_at < ? ORDER BY opened_at DESC LIMIT ?'),
      insert: db.prepare(
        `INSERT INTO shifts (id, device, branch, opened_at, opened_by, opening_vouchers, opening_cash)
         VALUES (@id, @device, @branch, @at, @by, @vouchers, @cash)`,
      ),
      close: db.prepare(
        `UPDATE shifts SET closed_at = @at, closed_by = @by, closing_vouchers = @vouchers, closing_cash = @cash, summary = @summary
         WHERE id = @id AND closed_at IS NULL`,
      ),
      refusal: db.prepare('INSERT INTO refusals (at, device, cashier, verdict) VALUES (?, ?, ?, ?)'),
    };
  }

  current(device: string): ShiftView | null {
    const r = this.stmts.open.get(device);
    return r ? view(r) : null;
  }

  open(o: { device: string; branch: string | null; at: number; by: string; count?: CountInput }): ShiftView {
    return this.db.transaction(() => {
      if (this.stmts.open.get(o.device)) throw new UserError('shift.alreadyOpen', 'A shift is already open here: close it first.');
      const id = this.nextId(o.at);
      this.stmts.insert.run({ id, device: o.device, branch: o.branch, at: o.at, by: o.by, vouchers: o.count?.vouchers ?? null, cash: o.count?.cash ?? null });
      return view(this.stmts.byId.get(id)!);
    }).immediate();
  }

  /** Closes the open shift and answers its summary, kept with it. */
  close(o: { device: string; at: number; by: string; count?: CountInput }): ShiftSummary {
    return this.db.transaction(() => {
      const open = this.stmts.open.get(o.device);
      if (!open) return this.noneOpen();
      const at = Math.max(o.at, open.opened_at);
      const closed: ShiftView = { ...view(open), closedAt: at, closedBy: o.by, closing: toCount(o.count?.vouchers ?? null, o.count?.cash ?? null) };
      const summary = this.counter.summarize(closed, at);
      this.stmts.close.run({ id: open.id, at, by: o.by, vouchers: o.count?.vouchers ?? null, cash: o.count?.cash ?? null, summary: JSON.stringify(summary) });
      return summary;
    }).immediate();
  }

  /** The refusal when a call needs the open shift and there is none. */
  noneOpen(): never {
    throw new UserError('shift.noneOpen', 'No shift is open here.');
  }

  list(device: string, limit: number, before = Number.MAX_SAFE_INTEGER): ShiftView[] {
    return this.stmts.list.all(device, before, limit).map(view);
  }

  /** A closed shift's summary as it was at the close; the open one's up to `now`. */
  summary(id: string, now: number): ShiftSummary {
    const r = this.stmts.byId.get(id);
    if (!r) throw new UserError('shift.unknown', 'There is no such shift.');
    if (r.summary) return JSON.parse(r.summary) as ShiftSummary;
    return this.counter.summarize(view(r), now);
  }

  /** Notes a refused scan at the counter (no voucher text: the verdict and who). */
  noteRefusal(at: number, device: string, cashier: string | null, verdict: Verdict): void {
    this.stmts.refusal.run(at, device, cashier, verdict);
  }
}
