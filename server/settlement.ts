/** The settlement of a day (docs/spec/sync-protocol.md "GET /v1/settlement"): the platform's count. */
import type { OversoldLine, StockLine } from '../common/protocol/sync';
import type { ServerDb } from './db';
import { definedStock, redeemedByVouchers } from './stock';

export interface Settlement {
  day: string;
  redemptions: number;
  reversals: number;
  units: number;
  gross: number;
  cur: string;
  share: number;
  conflicts: number;
  /** The merchant's revenue share in percent (85 = 85 %), as used for `share`. */
  sharePercent: number;
  /** The instants the day runs between: [from, to). */
  from: string;
  to: string;
  /** Protocol 2: the day's oversold redemptions (by the event's `at`), in time order. */
  oversold: OversoldLine[];
  /** Protocol 2: every campaign of the merchant with a stock, as of the call. */
  stock: StockLine[];
}

/** Parse YYYY-MM-DD; null when it is not a real calendar day. */
export function parseDay(day: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(ms);
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() + 1 !== Number(m[2]) || d.getUTCDate() !== Number(m[3])) return null;
  return ms;
}

/** `gross × bp / 10000`, rounded half away from zero to a whole minor unit (integer arithmetic). */
export function shareOf(gross: number, shareBp: number): number {
  const num = BigInt(Math.abs(gross)) * BigInt(shareBp);
  const q = num / 10000n;
  const r = num % 10000n;
  const rounded = Number(r * 2n >= 10000n ? q + 1n : q);
  return gross < 0 ? -rounded : rounded;
}

/**
 * The platform's count of a day for a merchant (all devices). The day of an
 * event is the calendar day of its `at` in the merchant's UTC offset (UTC by
 * default). Redemptions: stored (not conflict) redemptions of the day, reversed
 * or not; reversals: reversals of the day whose redemption was stored; units and
 * gross: what the day's redemptions took minus what the day's reversals gave
 * back; gross is the amount for value vouchers and units × unit price for item
 * and gift vouchers; conflicts: redemptions of the day stored as conflicts.
 */
export async function settlement(sdb: ServerDb, mid: string, day: string, dayStartUtcMs: number): Promise<Settlement> {
  const merchant = await sdb.db.selectFrom('merchants').select(['cur', 'share_bp', 'utc_offset_min']).where('id', '=', mid).executeTakeFirstOrThrow();
  const from = dayStartUtcMs - merchant.utc_offset_min * 60_000;
  const to = from + 86_400_000;
  const rows = await sdb.db
    .selectFrom('events')
    .leftJoin('vouchers', 'vouchers.vkey', 'events.vkey')
    .select(['events.id', 'events.type', 'events.status', 'events.units', 'events.amount', 'events.reverses', 'vouchers.kind', 'vouchers.unit_price'])
    .where('events.mid', '=', mid)
    .where('events.at_ms', '>=', from)
    .where('events.at_ms', '<', to)
    .execute();
  const targetIds = rows.filter((r) => r.type === 'reversal' && r.reverses).map((r) => r.reverses!);
  const targetStatus = new Map<string, string>();
  for (let i = 0; i < targetIds.length; i += 500) {
    const part = targetIds.slice(i, i + 500);
    for (const t of await sdb.db.selectFrom('events').select(['id', 'status']).where('id', 'in', part).execute()) targetStatus.set(t.id, t.status);
  }
  const money = (r: { kind: string | null; units: number | null; amount: number | null; unit_price: number | null }) =>
    r.kind === 'value' ? Number(r.amount ?? 0) : Number(r.units ?? 0) * Number(r.unit_price ?? 0);
  const s = { redemptions: 0, reversals: 0, units: 0, gross: 0, conflicts: 0 };
  for (const r of rows) {
    if (r.type === 'redemption') {
      if (r.status === 'conflict') {
        s.conflicts++;
        continue;
      }
      s.redemptions++;
      if (r.kind !== 'value') s.units += Number(r.units ?? 0);
      s.gross += money(r);
    } else if (r.type === 'reversal' && targetStatus.get(r.reverses ?? '') === 'stored') {
      s.reversals++;
      if (r.kind !== 'value') s.units -= Number(r.units ?? 0);
      s.gross -= money(r);
    }
  }
  return {
    day,
    ...s,
    cur: merchant.cur,
    share: shareOf(s.gross, merchant.share_bp),
    sharePercent: merchant.share_bp / 100,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    oversold: await oversoldLines(sdb, mid, from, to),
    stock: await stockLines(sdb, mid),
  };
}

async function oversoldLines(sdb: ServerDb, mid: string, from: number, to: number): Promise<OversoldLine[]> {
  const rows = await sdb.db
    .selectFrom('oversells')
    .select(['campaign', 'event', 'device', 'units'])
    .where('mid', '=', mid)
    .where('at_ms', '>=', from)
    .where('at_ms', '<', to)
    .orderBy('at_ms')
    .orderBy('event')
    .execute();
  return rows.map((r) => ({ campaign: r.campaign, event: r.event, device: r.device, units: Number(r.units) }));
}

/** The merchant's count rows with a stock, and the platform-wide stocked campaigns it has no row for yet (nothing reserved). */
async function stockLines(sdb: ServerDb, mid: string): Promise<StockLine[]> {
  const rows = await sdb.db.selectFrom('campaign_counts').select(['campaign', 'stock', 'redeemed', 'reserved']).where('mid', '=', mid).where('stock', 'is not', null).execute();
  const out: StockLine[] = rows.map((r) => ({ campaign: r.campaign, stock: Number(r.stock), redeemed: Number(r.redeemed), reserved: Number(r.reserved) }));
  const counted = new Set((await sdb.db.selectFrom('campaign_counts').select('campaign').where('mid', '=', mid).execute()).map((r) => r.campaign));
  for (const c of await sdb.db.selectFrom('campaigns').select('id').where('mid', 'is', null).execute()) {
    if (counted.has(c.id)) continue;
    const stock = await definedStock(sdb.db, mid, c.id);
    if (stock != null) out.push({ campaign: c.id, stock, redeemed: await redeemedByVouchers(sdb, sdb.db, mid, c.id, false), reserved: 0 });
  }
  return out.sort((a, b) => (a.campaign < b.campaign ? -1 : a.campaign > b.campaign ? 1 : 0));
}
