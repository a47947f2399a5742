import { z } from 'zod';
import type { CampaignMode, CampaignView, ProductView, RevocationView } from '../../../preload/contract';
import { wireCampaignMode } from '../../../common/protocol/stock';
import type { Db } from '../db/open';
import { UserError } from '../errors';
import { CampaignStock, STOCK_COLUMNS, stockFigures, type StockColumns } from './stock';
import { readTableFile } from './table-file';

/** Products, revocations and campaigns: the local lists the rules read. */

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
const optInt = z.preprocess(blankToUndefined, z.coerce.number().int().min(0).optional());
const time = z.preprocess(blankToUndefined, z.union([z.number().int(), z.string().min(1)]).optional());

export const productRow = z.object({
  sku: z.coerce.string().trim().min(1).max(64),
  name: z.string().trim().min(1).max(200),
  price: optInt,
  cur: z.preprocess(blankToUndefined, z.string().regex(/^[A-Z]{3}$/).optional()),
  picture: z.preprocess(blankToUndefined, z.string().max(500).optional()),
});

export const revocationRow = z.object({
  iss: z.string().trim().min(1).max(64),
  jti: z.coerce.string().trim().min(1).max(64),
  reason: z.preprocess((v) => (v === undefined || v === null ? '' : v), z.string().trim().max(200)),
  at: time,
});

const HOURS = /^\s*\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}\s*(,\s*\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}\s*)*$/;
export const campaignRow = z.object({
  id: z.coerce.string().trim().min(1).max(64),
  name: z.string().trim().min(1).max(200),
  stock: optInt,
  from: time,
  to: time,
  hours: z.preprocess(blankToUndefined, z.string().regex(HOURS, 'hours like 10:00-22:00').optional()),
  /** strict or lenient (issue 15); absent keeps the campaign's mode. */
  mode: z.preprocess(blankToUndefined, wireCampaignMode.optional()),
});

/** Seconds, milliseconds or an ISO date, as ms since the epoch. */
export function toMs(v: number | string | undefined, name: string): number | null {
  if (v === undefined) return null;
  if (typeof v === 'number') return v < 1e11 ? v * 1000 : v;
  if (/^\d+$/.test(v)) return toMs(Number(v), name);
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new UserError('import.badTime', `${name}: "${v}" is not a date.`, { field: name });
  return ms;
}

/** Minutes since local midnight of a time like 09:30. */
function minutes(hhmm: string): number {
  const [h, m] = hhmm.trim().split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** Whether a local time is inside "10:00-14:00,17:00-22:00"; ranges may cross midnight. */
export function withinHours(hours: string, at: Date): boolean {
  const now = at.getHours() * 60 + at.getMinutes();
  return hours.split(',').some((range) => {
    const [a, b] = range.split('-') as [string, string];
    const start = minutes(a);
    const end = minutes(b);
    return start <= end ? now >= start && now < end : now >= start || now < end;
  });
}

export type CampaignClosed = 'notStarted' | 'ended' | 'outsideHours' | 'soldOut';

interface CampaignRow extends StockColumns {
  id: string;
  name: string;
  stock: number | null;
  starts: number | null;
  ends: number | null;
  hours: string | null;
  source: string;
  updated_at: number;
}

/** A campaign as set: a row of a file or a change, or the owner's form (whose mode may be `platform`: follow the platform's default again). */
export type CampaignInput = Omit<z.infer<typeof campaignRow>, 'mode'> & { mode?: CampaignMode | 'platform' | undefined };

/** Who sets a campaign's mode: the platform (its default, in campaign changes) or the owner here (which wins). */
export type ModeBy = 'platform' | 'owner';

export class Catalog {
  private readonly s;
  /** The campaigns' stock: counts, allotments, oversells (catalog/stock.ts). */
  readonly stock: CampaignStock;

  constructor(private readonly db: Db) {
    this.stock = new CampaignStock(db);
    this.s = {
      product: db.prepare<[string], ProductView>('SELECT sku, name, price, cur, picture FROM products WHERE sku = ?'),
      upsertProduct: db.prepare(
        `INSERT INTO products (sku, name, price, cur, picture) VALUES (@sku, @name, @price, @cur, @picture)
         ON CONFLICT(sku) DO UPDATE SET name = excluded.name, price = excluded.price, cur = excluded.cur, picture = excluded.picture`,
      ),
      revocation: db.prepare<[string, string], { reason: string; at: number }>('SELECT reason, at FROM revocations WHERE iss = ? AND jti = ?'),
      upsertRevocation: db.prepare(
        `INSERT INTO revocations (iss, jti, reason, at, source) VALUES (@iss, @jti, @reason, @at, @source)
         ON CONFLICT(iss, jti) DO UPDATE SET reason = excluded.reason, at = excluded.at, source = excluded.source`,
      ),
      campaign: db.prepare<[string], CampaignRow>(`SELECT c.*, ${STOCK_COLUMNS} WHERE c.id = ?`),
      campaigns: db.prepare<[], CampaignRow>(`SELECT c.*, ${STOCK_COLUMNS} ORDER BY c.id`),
      upsertCampaign: db.prepare(
        `INSERT INTO campaigns (id, name, stock, starts, ends, hours, source, updated_at) VALUES (@id, @name, @stock, @starts, @ends, @hours, @source, @updated_at)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, stock = excluded.stock, starts = excluded.starts, ends = excluded.ends,
           hours = excluded.hours, source = excluded.source, updated_at = excluded.updated_at`,
      ),
      deleteCampaign: db.prepare('DELETE FROM campaigns WHERE id = ?'),
      platformMode: db.prepare('UPDATE campaigns SET mode = ? WHERE id = ?'),
      stocked: db.prepare<[string], { n: number }>('SELECT 1 AS n FROM campaigns WHERE id = ? AND stock IS NOT NULL'),
      ownerMode: db.prepare('UPDATE campaigns SET owner_mode = ? WHERE id = ?'),
      useCampaign: db.prepare(
        'INSERT INTO campaign_usage (id, used) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET used = used + excluded.used',
      ),
      releaseCampaign: db.prepare('UPDATE campaign_usage SET used = MAX(0, used - ?) WHERE id = ?'),
    };
  }

  // ---------------------------------------------------------------- products

  product(sku: string | null): ProductView | null {
    return sku ? (this.s.product.get(sku) ?? null) : null;
  }

  productName(sku: string | null): string | null {
    return this.product(sku)?.name ?? null;
  }

  importProducts(fileName: string, content: string): { imported: number } {
    const rows = readTableFile(fileName, content, productRow, 'products');
    this.db.transaction(() => {
      for (const r of rows) this.s.upsertProduct.run({ sku: r.sku, name: r.name, price: r.price ?? null, cur: r.cur ?? null, picture: r.picture ?? null });
    })();
    return { imported: rows.length };
  }

  products(query: string, limit: number): ProductView[] {
    const like = `%${query.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    return this.db
      .prepare<[string, string, number], ProductView>(
        "SELECT sku, name, price, cur, picture FROM products WHERE sku LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\' ORDER BY sku LIMIT ?",
      )
      .all(like, like, limit);
  }

  // ---------------------------------------------------------------- revocations

  revocation(iss: string, jti: string): { reason: string; at: number } | null {
    return this.s.revocation.get(iss, jti) ?? null;
  }

  addRevocations(rows: { iss: string; jti: string; reason: string; at: number }[], source: string): void {
    this.db.transaction(() => {
      for (const r of rows) this.s.upsertRevocation.run({ ...r, source });
    })();
  }

  importRevocations(fileName: string, content: string, now: number): { imported: number } {
    const rows = readTableFile(fileName, content, revocationRow, 'revocations').map((r) => ({
      iss: r.iss,
      jti: r.jti,
      reason: r.reason,
      at: toMs(r.at, 'at') ?? now,
    }));
    this.addRevocations(rows, `file:${fileName.split(/[\\/]/).pop()}`);
    return { imported: rows.length };
  }

  revocations(limit: number): RevocationView[] {
    return this.db
      .prepare<[number], RevocationView>('SELECT iss, jti, reason, at, source FROM revocations ORDER BY at DESC LIMIT ?')
      .all(limit);
  }

  // ---------------------------------------------------------------- campaigns

  campaign(id: string): CampaignView | null {
    const r = this.s.campaign.get(id);
    return r ? campaignView(r, this.stock.allotments()) : null;
  }

  campaigns(): CampaignView[] {
    const allotments = this.stock.allotments();
    return this.s.campaigns.all().map((r) => campaignView(r, allotments));
  }

  /** Creates or changes a campaign; its `mode`, when given, is the platform's default or the owner's choice (`modeBy`). */
  setCampaign(c: CampaignInput, source: string, now: number, modeBy: ModeBy = 'owner'): CampaignView {
    const starts = toMs(c.from, 'from');
    const ends = toMs(c.to, 'to');
    if (starts !== null && ends !== null && ends <= starts) {
      throw new UserError('campaigns.badRange', 'The campaign ends before it starts.', { id: c.id });
    }
    this.db.transaction(() => {
      this.s.upsertCampaign.run({ id: c.id, name: c.name, stock: c.stock ?? null, starts, ends, hours: c.hours?.replace(/\s+/g, '') ?? null, source, updated_at: now });
      if (c.mode) this.setMode(c.id, c.mode, modeBy);
    })();
    return this.campaign(c.id)!;
  }

  /** `platform` from the owner: their choice is dropped, the platform's default applies again. */
  private setMode(id: string, mode: CampaignMode | 'platform', by: ModeBy): void {
    if (mode === 'platform') this.s.ownerMode.run(null, id);
    else (by === 'platform' ? this.s.platformMode : this.s.ownerMode).run(mode, id);
  }

  importCampaigns(fileName: string, content: string, now: number): { imported: number } {
    const rows = readTableFile(fileName, content, campaignRow, 'campaigns');
    this.db.transaction(() => {
      for (const r of rows) this.setCampaign(r, `file:${fileName.split(/[\\/]/).pop()}`, now);
    })();
    return { imported: rows.length };
  }

  deleteCampaign(id: string): void {
    if (this.s.deleteCampaign.run(id).changes === 0) throw new UserError('campaigns.unknown', `No campaign ${id}.`, { id });
  }

  /** Why a campaign takes no redemption now, or null when it is open; call inside the redemption transaction. */
  campaignClosed(c: CampaignView, at: number): { reason: CampaignClosed; stockLeft: number | null } | null {
    const stockLeft = c.left;
    if (c.from !== null && at < c.from) return { reason: 'notStarted', stockLeft };
    if (c.to !== null && at >= c.to) return { reason: 'ended', stockLeft };
    if (c.hours && !withinHours(c.hours, new Date(at))) return { reason: 'outsideHours', stockLeft };
    if (stockLeft === 0) return { reason: 'soldOut', stockLeft };
    return null;
  }

  /** A redemption here took `units` of the campaign's stock, `allot` of them from the allotment; call in its transaction. */
  useCampaign(id: string, units: number, eventId: string, allot: number): void {
    this.s.useCampaign.run(id, units);
    if (this.s.stocked.get(id)) this.stock.taken(id, eventId, units, allot);
  }

  /**
   * A reversal made here gives `units` back to the campaign's count (never to
   * the allotment); `used` counts this workstation's redemptions, so only the
   * reversal of one of them lowers it. Call in the reversal's transaction.
   */
  releaseCampaign(id: string, units: number, reversal: { id: string; ofRemote: boolean }): void {
    if (!reversal.ofRemote) this.s.releaseCampaign.run(units, id);
    if (this.s.stocked.get(id)) this.stock.givenBack(id, reversal.id, units);
  }
}

function campaignView(r: CampaignRow, allotments: boolean): CampaignView {
  return {
    id: r.id,
    name: r.name,
    stock: r.stock,
    ...stockFigures(r, allotments),
    from: r.starts,
    to: r.ends,
    hours: r.hours,
    source: r.source,
  };
}
