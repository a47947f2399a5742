/**
 * Close of day: sync, then this workstation's count next to the platform's
 * settlement (GET /v1/settlement?day=D), differences named, the day recorded.
 *
 * Choices where the spec is silent (told to the server side in the report):
 * - the day is the window the settlement names (`from`, `to`: the reference
 *   server uses the merchant's UTC offset); without an answer, the day in the
 *   merchant's time zone (the `timeZone` setting, else the OS's: reports/timezone.ts);
 * - without a server configured there is nothing to sync or compare: the report
 *   is this ledger's alone (no sync error), with its lines per product and cashier;
 * - like the reference server: `redemptions` counts redemptions that did not
 *   lose a conflict, `reversals` the reversals of those; `units` and `gross`
 *   are net of reversals (units for item/gift vouchers only); `gross` is value
 *   vouchers' amounts plus units × the product's price where the product list
 *   has one (the platform uses the voucher's price: they can differ);
 * - `conflicts` counts the losing redemptions of the day.
 */
import type { CampaignView, CloseDayReport, DayCounts, SyncProblem } from '../../../preload/contract';
import type { CampaignStock } from '../catalog/stock';
import type { Db } from '../db/open';
import type { KeyStore } from '../keystore/keystore';
import type { Context } from '../redeem/redeem';
import { summarize } from '../reports/summary';
import { dayWindow } from '../reports/timezone';
import type { SyncClient } from './client';
import { SyncError } from './http';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function localCounts(db: Db, from: number, to: number, onlyThisWorkstation: boolean): DayCounts {
  const mine = onlyThisWorkstation ? 'AND e.remote = 0' : '';
  // A redemption that lost a conflict is counted as a conflict, not a redemption (as the platform does).
  const r = db
    .prepare<[number, number], { redemptions: number; reversals: number; units: number | null; gross: number | null }>(
      `SELECT
         sum(e.type = 'redemption') AS redemptions,
         sum(e.type = 'reversal') AS reversals,
         sum((CASE WHEN e.type = 'redemption' THEN 1 ELSE -1 END) * (CASE WHEN e.kind = 'value' THEN 0 ELSE coalesce(e.units, 0) END)) AS units,
         sum((CASE WHEN e.type = 'redemption' THEN 1 ELSE -1 END) * (CASE WHEN e.kind = 'value' THEN coalesce(e.amount, 0) ELSE coalesce(e.units, 0) * coalesce(p.price, 0) END)) AS gross
       FROM events e LEFT JOIN products p ON p.sku = e.sku
      WHERE e.at >= ? AND e.at < ? ${mine}
        AND NOT EXISTS (SELECT 1 FROM sync_conflicts c WHERE c.event_id = coalesce(e.reverses, e.id))`,
    )
    .get(from, to)!;
  const conflicts = db
    .prepare<[number, number], { n: number }>(
      `SELECT count(*) AS n FROM sync_conflicts c
         LEFT JOIN events e ON e.id = c.event_id
        WHERE coalesce(e.at, CAST(round((julianday(json_extract(c.event, '$.at')) - 2440587.5) * 86400000) AS INTEGER)) >= ?
          AND coalesce(e.at, CAST(round((julianday(json_extract(c.event, '$.at')) - 2440587.5) * 86400000) AS INTEGER)) < ?
          ${onlyThisWorkstation ? "AND (e.remote = 0 OR (e.id IS NULL AND c.origin = 'online'))" : ''}`,
    )
    .get(from, to)!.n;
  const unpriced = db
    .prepare<[number, number], { n: number }>(
      `SELECT count(*) AS n FROM events e LEFT JOIN products p ON p.sku = e.sku
        WHERE e.at >= ? AND e.at < ? ${mine} AND coalesce(e.kind, 'item') != 'value' AND p.price IS NULL`,
    )
    .get(from, to)!.n;
  return { redemptions: r.redemptions ?? 0, reversals: r.reversals ?? 0, units: r.units ?? 0, gross: r.gross ?? 0, conflicts, grossComplete: unpriced === 0 };
}

/** The campaigns with a stock that ran during [from, to), with what is left of them (read after the shares went back). */
export function campaignStockLines(campaigns: CampaignView[], from: number, to: number): CloseDayReport['campaigns'] {
  return campaigns
    .filter((c) => c.stock !== null && c.left !== null && (c.from === null || c.from < to) && (c.to === null || c.to > from))
    .map((c) => ({ id: c.id, name: c.name, mode: c.mode, stock: c.stock!, left: c.left!, countedAt: c.countedAt }));
}

export async function closeDay(
  deps: { db: Db; client: SyncClient; keystore: KeyStore; ctx: Context; timeZone: string; stock: CampaignStock; campaigns: () => CampaignView[] },
  day: string,
): Promise<CloseDayReport> {
  const { db, client } = deps;
  let syncError: SyncProblem | null = null;
  let server: CloseDayReport['server'] = null;
  let settled: Record<string, unknown> | null = null;
  const configured = client.status().configured;
  if (configured) {
    try {
      await client.syncNow();
      const s = await client.settlement(day);
      if (!isObj(s)) throw new SyncError('badResponse');
      settled = s;
      const n = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : 0);
      server = {
        redemptions: n('redemptions'),
        reversals: n('reversals'),
        units: n('units'),
        gross: n('gross'),
        conflicts: n('conflicts'),
        share: n('share'),
        cur: typeof s.cur === 'string' ? s.cur : null,
      };
    } catch (e) {
      const err = e instanceof SyncError ? e : new SyncError('internal');
      syncError = { code: err.code, ...(Object.keys(err.params).length ? { params: err.params } : {}), at: Date.now() };
    }
  }
  // The platform says which window its day is (the merchant's UTC offset); without it, the day in the merchant's zone.
  let { from, to } = dayWindow(day, deps.timeZone);
  if (settled && typeof settled.from === 'string' && typeof settled.to === 'string' && !Number.isNaN(Date.parse(settled.from)) && !Number.isNaN(Date.parse(settled.to))) {
    from = Date.parse(settled.from);
    to = Date.parse(settled.to);
  }
  // What is left of the campaign allotments held here goes back (issue 15), and no new share is asked before the day is over.
  // Tried even when the sync failed: the grant here is lowered first, so nothing is left to spend offline either way.
  if (configured) {
    try {
      await client.giveBackAllotments(to);
    } catch (e) {
      const err = e instanceof SyncError ? e : new SyncError('internal');
      syncError ??= { code: err.code, ...(Object.keys(err.params).length ? { params: err.params } : {}), at: Date.now() };
    }
  }
  const workstation = localCounts(db, from, to, true);
  const ledger = localCounts(db, from, to, false);
  const compared = ledger.grossComplete ? (['redemptions', 'reversals', 'units', 'gross', 'conflicts'] as const) : (['redemptions', 'reversals', 'units', 'conflicts'] as const);
  const differences = server ? compared.filter((k) => ledger[k] !== server![k]) : [];
  const closedAt = Date.now();
  db.prepare(
    `INSERT INTO sync_days (day, closed_at, local, server, differences) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(day) DO UPDATE SET closed_at = excluded.closed_at, local = excluded.local, server = excluded.server, differences = excluded.differences`,
  ).run(day, closedAt, JSON.stringify({ workstation, ledger }), server ? JSON.stringify(server) : null, JSON.stringify(differences));
  return {
    day,
    from,
    to,
    timeZone: deps.timeZone,
    configured,
    lines: summarize(db, { from, to }, deps.timeZone),
    workstation,
    ledger,
    server,
    differences,
    oversold: deps.stock.oversells(from, to),
    campaigns: campaignStockLines(deps.campaigns(), from, to),
    syncError,
    closedAt,
    device: deps.ctx.device(),
    merchant: deps.keystore.merchant(),
    branch: deps.keystore.branch(),
  };
}

export function closedDays(db: Db): { day: string; closedAt: number; differences: string[] }[] {
  return db
    .prepare<[], { day: string; closed_at: number; differences: string }>('SELECT day, closed_at, differences FROM sync_days ORDER BY day DESC LIMIT 400')
    .all()
    .map((r) => ({ day: r.day, closedAt: r.closed_at, differences: JSON.parse(r.differences) as string[] }));
}
