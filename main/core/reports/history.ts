/**
 * The full history: every event of the ledger, newest first, narrowed by a
 * filter and read a page at a time (keyset: the page after (at, seq), so a
 * page costs the same at the end of a year as at its start). The indexes of
 * migration 8 serve the time range, a cashier and a product; a voucher id is
 * matched on any part of `iss/jti`.
 */
import type { HistoryFilter, HistoryPage, ReportEntry } from '../../../preload/contract';
import type { Db } from '../db/open';
import { toHistoryEntry, type EventRow } from '../ledger/ledger';

type Row = EventRow & { reversed_by: string | null; product: string | null; conflict_settled: number | null; conflict: number };

export interface Cursor {
  at: number;
  seq: number;
}

/** The WHERE clause and its parameters for a filter (shared by the page and the export). */
export function historyWhere(f: HistoryFilter): { sql: string; params: Record<string, string | number> } {
  const conds: string[] = [];
  const params: Record<string, string | number> = {};
  if (f.from !== undefined) {
    conds.push('e.at >= @from');
    params.from = f.from;
  }
  if (f.to !== undefined) {
    conds.push('e.at < @to');
    params.to = f.to;
  }
  if (f.cashier !== undefined) {
    conds.push('e.cashier = @cashier');
    params.cashier = f.cashier;
  }
  if (f.sku !== undefined) {
    conds.push('e.sku = @sku');
    params.sku = f.sku;
  }
  if (f.member !== undefined) {
    conds.push('e.member = @member');
    params.member = f.member;
  }
  if (f.voucher !== undefined) {
    conds.push("instr(lower(coalesce(e.iss, '') || '/' || coalesce(e.jti, '')), lower(@voucher)) > 0");
    params.voucher = f.voucher;
  }
  if (f.kind === 'redemption' || f.kind === 'reversal') {
    conds.push('e.type = @type');
    params.type = f.kind;
  } else if (f.kind === 'conflict') {
    conds.push("e.type = 'redemption' AND EXISTS (SELECT 1 FROM sync_conflicts k WHERE k.event_id = e.id)");
  }
  return { sql: conds.length ? conds.join(' AND ') : '1', params };
}

const SELECT = `SELECT e.*, (SELECT r.id FROM events r WHERE r.reverses = e.id) AS reversed_by, p.name AS product,
    c.settled_at AS conflict_settled, (c.event_id IS NOT NULL) AS conflict
  FROM events e
  LEFT JOIN products p ON p.sku = e.sku
  LEFT JOIN sync_conflicts c ON c.event_id = e.id`;

function toEntry(r: Row): ReportEntry {
  return {
    ...toHistoryEntry(r, r.product),
    seq: r.seq,
    member: r.member,
    conflict: r.conflict ? (r.conflict_settled === null ? 'open' : 'settled') : null,
    remote: r.remote === 1,
  };
}

/** One page of the history after `after` (newest first). */
export function historyPage(db: Db, f: HistoryFilter, limit: number, after?: Cursor): HistoryPage {
  const where = historyWhere(f);
  const params: Record<string, string | number> = { ...where.params, limit: limit + 1 };
  let keyset = '';
  if (after) {
    keyset = 'AND (e.at, e.seq) < (@afterAt, @afterSeq)';
    params.afterAt = after.at;
    params.afterSeq = after.seq;
  }
  const rows = db.prepare<Record<string, string | number>, Row>(`${SELECT} WHERE ${where.sql} ${keyset} ORDER BY e.at DESC, e.seq DESC LIMIT @limit`).all(params);
  const more = rows.length > limit;
  const entries = rows.slice(0, limit).map(toEntry);
  const last = entries[entries.length - 1];
  return { entries, next: more && last ? { at: last.at, seq: last.seq } : null };
}

/** Every line of the history that matches, newest first, up to `max` (an export). */
export function* historyAll(db: Db, f: HistoryFilter, max: number): Generator<ReportEntry> {
  const where = historyWhere(f);
  const stmt = db.prepare<Record<string, string | number>, Row>(`${SELECT} WHERE ${where.sql} ORDER BY e.at DESC, e.seq DESC LIMIT @limit`);
  for (const r of stmt.iterate({ ...where.params, limit: max })) yield toEntry(r);
}

/** The names to offer in the filters: the cashiers and the products the ledger has seen. */
export function historyChoices(db: Db): { cashiers: string[]; products: { sku: string; name: string | null }[] } {
  const cashiers = db
    .prepare<[], { cashier: string }>('SELECT DISTINCT cashier FROM events WHERE cashier IS NOT NULL ORDER BY cashier')
    .all()
    .map((r) => r.cashier);
  const products = db
    .prepare<[], { sku: string; name: string | null }>(
      `SELECT s.sku, p.name FROM (SELECT DISTINCT sku FROM events WHERE sku IS NOT NULL UNION SELECT sku FROM products) s
         LEFT JOIN products p ON p.sku = s.sku ORDER BY coalesce(p.name, s.sku)`,
    )
    .all();
  return { cashiers, products };
}
