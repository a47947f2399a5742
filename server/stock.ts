/**
 * Campaign stock on the server (docs/spec/sync-protocol.md "Campaign stock",
 * issue 15): the per-merchant count rows of a campaign and what an upload
 * does to them.
 *
 * Lock order, shared with every write (server/events-lock.ts, server/tx.ts):
 * vouchers (vkey order) → campaign count rows FOR UPDATE in (mid, campaign)
 * order → the merchant's row last. A device's allotment rows are written only
 * while their campaign's count row is locked, so they need no lock of their own.
 *
 * An upload's counts follow its vouchers: a campaign's `redeemed` is the
 * stored value plus, over the request's vouchers of the campaign, what their
 * counters changed (units of item and gift vouchers, events of value
 * vouchers), so reversals, conflicts and overturned winners count as the
 * voucher counters do, with no code of their own (server/events.ts).
 */
import { sql } from 'kysely';
import { SOLD_OUT } from '../common/protocol/sync';
import type { ServerDb, Tx, VoucherTable } from './db';
import type { AllotmentTable, CampaignCountTable } from './stock-tables';
import type { Row, VoucherState } from './events-write';

export { SOLD_OUT };

/** The stock units a voucher's counters say its live redemptions took: units (item, gift) or events (value). */
const takenOf = (kind: string, c: { units: number; events: number }): number => (kind === 'value' ? c.events : c.units);
const takenNow = (s: VoucherState): number => takenOf(s.v.kind, { units: s.v.used_units, events: s.v.used_events });
const takenRead = (s: VoucherState): number => takenOf(s.v.kind, s.read);

/** The stock a campaign has for a merchant per its definition (null: none, or not this merchant's), or undefined when there is no such campaign for it. */
export async function definedStock(trx: Tx | ServerDb['db'], mid: string, campaign: string): Promise<number | null | undefined> {
  const c = await trx.selectFrom('campaigns').select(['mid', 'body']).where('id', '=', campaign).executeTakeFirst();
  if (!c || (c.mid !== null && c.mid !== mid)) return undefined;
  const stock = (JSON.parse(c.body) as { stock?: unknown }).stock;
  return typeof stock === 'number' ? stock : null;
}

/** What the merchant's vouchers of a campaign took, by their counters (optionally locking them first, in vkey order). */
export async function redeemedByVouchers(sdb: ServerDb, trx: Tx | ServerDb['db'], mid: string, campaign: string, lock: boolean): Promise<number> {
  if (lock && sdb.dialect === 'postgres') {
    await trx.selectFrom('vouchers').select('vkey').where('mid', '=', mid).where('cmp', '=', campaign).orderBy('vkey').forUpdate().execute();
  }
  const r = await trx
    .selectFrom('vouchers')
    .select(sql<number>`coalesce(sum(case when kind = 'value' then used_events else used_units end), 0)`.as('n'))
    .where('mid', '=', mid)
    .where('cmp', '=', campaign)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

async function selectCount(sdb: ServerDb, trx: Tx, mid: string, campaign: string): Promise<CampaignCountTable | undefined> {
  let q = trx.selectFrom('campaign_counts').selectAll().where('mid', '=', mid).where('campaign', '=', campaign);
  if (sdb.dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

/**
 * Lock a campaign's count row for a merchant; when it has none but the
 * campaign has a stock for it (a platform-wide campaign and a merchant made
 * after it), make it, counting what the merchant's vouchers of the campaign
 * took (committed counters: a transaction still changing one of them counts
 * its own change after this). Undefined: the campaign is not counted.
 */
export async function lockCount(sdb: ServerDb, trx: Tx, mid: string, campaign: string): Promise<CampaignCountTable | undefined> {
  const row = await selectCount(sdb, trx, mid, campaign);
  if (row) return row;
  const stock = await definedStock(trx, mid, campaign);
  if (stock == null) return undefined;
  await insertCount(trx, { mid, campaign, stock, redeemed: await redeemedByVouchers(sdb, trx, mid, campaign, false), reserved: 0 });
  return selectCount(sdb, trx, mid, campaign);
}

const insertCount = (trx: Tx, row: CampaignCountTable) =>
  trx.insertInto('campaign_counts').values(row).onConflict((oc) => oc.columns(['mid', 'campaign']).doNothing()).execute();

/**
 * `campaign set` (server/admin.ts): keep the count rows' stock in step with
 * the campaign. A merchant's campaign has its row; a platform-wide one has a
 * row per merchant. A row made here counts what the campaign's vouchers took,
 * with those vouchers locked (an upload changing one finishes first).
 */
export async function setCampaignStock(sdb: ServerDb, trx: Tx, campaign: string, mid: string | null, stock: number | null): Promise<void> {
  if (mid !== null) {
    // No longer any other merchant's campaign: their rows keep counting, with no limit.
    await trx.updateTable('campaign_counts').set({ stock: null }).where('campaign', '=', campaign).where('mid', '<>', mid).execute();
  }
  const mids = mid !== null ? [mid] : (await trx.selectFrom('merchants').select('id').orderBy('id').execute()).map((m) => m.id);
  for (const m of mids) {
    if (stock === null) {
      await trx.updateTable('campaign_counts').set({ stock: null }).where('mid', '=', m).where('campaign', '=', campaign).execute();
      continue;
    }
    if (!(await selectCount(sdb, trx, m, campaign))) {
      // An upload may make the row meanwhile (it saw the stock): then its count stands, and the stock is set below.
      await insertCount(trx, { mid: m, campaign, stock, redeemed: await redeemedByVouchers(sdb, trx, m, campaign, true), reserved: 0 });
    }
    await trx.updateTable('campaign_counts').set({ stock }).where('mid', '=', m).where('campaign', '=', campaign).execute();
  }
}

interface Count {
  row: CampaignCountTable;
  /** This request's vouchers of the campaign. */
  vouchers: VoucherState[];
  reserved: number;
}

interface Allot {
  read: AllotmentTable | undefined;
  granted: number;
  consumed: number;
}

/** What `mark` saw before a redemption changed anything. */
export interface StockMark {
  campaign: string;
  /** redeemed + reserved before it. */
  before: number;
  /** Units it takes from the device's allotment (its `allot`, at most what the device holds and what it takes). */
  fromAllotment: number;
  /** Online-first and its units beyond the allotment do not fit in what is free. */
  soldOut: boolean;
}

interface OversellRow {
  mid: string;
  event: string;
  campaign: string;
  device: string | null;
  units: number;
  at_ms: number;
}

/** An upload's view of its campaigns' counts and the device's allotments, written at the end (`write`). */
export class StockBook {
  private readonly oversells: OversellRow[] = [];

  private constructor(
    private readonly mid: string,
    private readonly device: string,
    private readonly counts: Map<string, Count>,
    private readonly allots: Map<string, Allot>,
    /** A batch file: every event is offline, whatever it says. */
    private readonly allOffline: boolean,
  ) {}

  /** Lock the count rows of the campaigns of `vouchers` (already locked, this merchant's) and read the device's allotments. */
  static async open(sdb: ServerDb, trx: Tx, mid: string, device: string, vouchers: Map<string, VoucherState>, opts: { allOffline?: boolean } = {}): Promise<StockBook> {
    const byCampaign = new Map<string, VoucherState[]>();
    for (const s of vouchers.values()) {
      if (s.v.mid !== mid || s.v.cmp === null) continue;
      byCampaign.set(s.v.cmp, [...(byCampaign.get(s.v.cmp) ?? []), s]);
    }
    const counts = new Map<string, Count>();
    for (const campaign of [...byCampaign.keys()].sort()) {
      const row = await lockCount(sdb, trx, mid, campaign);
      if (row) counts.set(campaign, { row, vouchers: byCampaign.get(campaign)!, reserved: row.reserved });
    }
    const allots = new Map<string, Allot>();
    if (counts.size > 0) {
      const rows = await trx.selectFrom('allotments').selectAll().where('mid', '=', mid).where('device', '=', device).where('campaign', 'in', [...counts.keys()]).execute();
      for (const r of rows) allots.set(r.campaign, { read: r, granted: r.granted, consumed: r.consumed });
    }
    return new StockBook(mid, device, counts, allots, opts.allOffline ?? false);
  }

  private redeemed(c: Count): number {
    let n = c.row.redeemed;
    for (const s of c.vouchers) n += takenNow(s) - takenRead(s);
    return n;
  }

  /** Before a redemption of `v` changes anything: where its campaign stands, and whether an online-first one is sold out. */
  mark(v: VoucherTable, take: { units: number }, ev: { allot?: number | undefined; offline?: boolean | undefined }): StockMark | null {
    const c = v.cmp === null || v.mid !== this.mid ? undefined : this.counts.get(v.cmp);
    if (!c) return null;
    const units = v.kind === 'value' ? 1 : take.units;
    const a = this.allots.get(c.row.campaign);
    const fromAllotment = Math.max(0, Math.min(ev.allot ?? 0, units, a ? a.granted - a.consumed : 0));
    const before = this.redeemed(c) + c.reserved;
    const free = c.row.stock === null ? Infinity : c.row.stock - before;
    const onlineFirst = ev.offline === false && !this.allOffline;
    return { campaign: c.row.campaign, before, fromAllotment, soldOut: onlineFirst && units - fromAllotment > free };
  }

  /**
   * After the redemption `row` was decided (stored or conflict): its allotted
   * units leave the device's held, and the units it pushed redeemed + reserved
   * past the stock are its oversell (recorded for settlement), or 0.
   */
  taken(mark: StockMark | null, row: Row): number {
    if (!mark) return 0;
    const c = this.counts.get(mark.campaign)!;
    if (mark.fromAllotment > 0) {
      const a = this.allots.get(mark.campaign)!;
      a.consumed += mark.fromAllotment;
      c.reserved -= mark.fromAllotment;
    }
    const stock = c.row.stock;
    if (stock === null || row.status !== 'stored') return 0;
    const after = this.redeemed(c) + c.reserved;
    const over = Math.max(0, after - stock) - Math.max(0, mark.before - stock);
    if (over <= 0) return 0;
    this.oversells.push({ mid: this.mid, event: row.id, campaign: mark.campaign, device: row.device, units: over, at_ms: row.at_ms });
    return over;
  }

  /** Write what changed, relative to what is stored (the rows are locked). */
  async write(trx: Tx): Promise<void> {
    for (const c of this.counts.values()) {
      const dRedeemed = this.redeemed(c) - c.row.redeemed;
      const dReserved = c.reserved - c.row.reserved;
      if (dRedeemed === 0 && dReserved === 0) continue;
      await trx
        .updateTable('campaign_counts')
        .set((eb) => ({ redeemed: eb('redeemed', '+', dRedeemed), reserved: eb('reserved', '+', dReserved) }))
        .where('mid', '=', this.mid)
        .where('campaign', '=', c.row.campaign)
        .execute();
    }
    for (const [campaign, a] of this.allots) {
      const d = a.consumed - (a.read?.consumed ?? 0);
      if (d === 0) continue;
      await trx
        .updateTable('allotments')
        .set((eb) => ({ consumed: eb('consumed', '+', d) }))
        .where('mid', '=', this.mid)
        .where('campaign', '=', campaign)
        .where('device', '=', this.device)
        .execute();
    }
    if (this.oversells.length > 0) {
      await trx.insertInto('oversells').values(this.oversells).onConflict((oc) => oc.columns(['mid', 'event']).doNothing()).execute();
    }
  }
}
