/**
 * A campaign's stock as this workstation knows it (issue 15, docs/spec/sync-protocol.md
 * "Campaign stock (protocol 2)"): the server's last count, this workstation's
 * allotment, the local units the count does not include yet, and the oversells
 * the server reported. The sync client feeds it (sync/allotments.ts, outbox.ts),
 * the redemption and the ledger's reversals write to it in their transactions.
 *
 * How `left` never counts a unit twice nor misses one once the sync settles:
 * every local event of a stocked campaign adds a row to `campaign_uncounted`
 * (+units for a redemption, -units for a reversal) in its own transaction.
 * Before an allotment call the client notes the rows whose events the server
 * had already answered (uploaded, online-first, or from a receipt file): those
 * are in the count it gets back, and only those rows are removed when the count
 * is stored. So left = stock - the count's redeemed - the rows still there.
 * Other devices' events arriving in changes never touch it: the next count
 * has them (a count is asked in every sync round). An event answered while
 * the call was under way stays counted once more until the next count (left
 * is then low by it, never high).
 */
import type { CampaignMode, CampaignView } from '../../../preload/contract';
import type { AllotmentAnswer } from '../../../common/protocol/stock';
import type { Db } from '../db/open';
import { Settings } from '../settings';

/** The setting the sync client keeps: '2' once the server said `Sync-Protocol: 2`, '1' when it answered without it. */
export const PROTOCOL_SETTING = 'sync.protocol';

/** Until when (ms) no allotment is asked: the end of the day closed last. */
const PAUSE_SETTING = 'stock.allotmentsPausedUntil';

/** What campaign rows carry for the stock figures (catalog.ts reads them in one query). */
export interface StockColumns {
  id: string;
  stock: number | null;
  used: number | null;
  mode: CampaignMode;
  owner_mode: CampaignMode | null;
  counted_redeemed: number | null;
  counted_at: number | null;
  granted: number | null;
  consumed: number | null;
  uncounted: number;
  oversold: number;
}

/** The SQL that reads StockColumns for the campaigns `c` (a join on campaigns c). */
export const STOCK_COLUMNS = `u.used, k.redeemed AS counted_redeemed, k.counted_at, a.granted, a.consumed,
  (SELECT coalesce(sum(x.units), 0) FROM campaign_uncounted x WHERE x.campaign = c.id) AS uncounted,
  (SELECT coalesce(sum(o.units), 0) FROM campaign_oversells o WHERE o.campaign = c.id) AS oversold
  FROM campaigns c LEFT JOIN campaign_usage u ON u.id = c.id LEFT JOIN campaign_counts k ON k.id = c.id
  LEFT JOIN campaign_allotments a ON a.id = c.id`;

export type StockFigures = Pick<CampaignView, 'used' | 'mode' | 'modeBy' | 'platformMode' | 'left' | 'countedAt' | 'held' | 'oversold' | 'allotments'>;

/** The figures a CampaignView shows; `allotments`: whether the server speaks protocol 2. */
export function stockFigures(r: StockColumns, allotments: boolean): StockFigures {
  const used = r.used ?? 0;
  const counted = r.counted_at !== null && r.counted_redeemed !== null;
  const left = r.stock === null ? null : Math.max(0, r.stock - (counted ? r.counted_redeemed! + r.uncounted : used));
  return {
    used,
    mode: r.owner_mode ?? r.mode,
    modeBy: r.owner_mode !== null ? 'owner' : 'platform',
    platformMode: r.mode,
    left,
    countedAt: counted ? r.counted_at : null,
    held: allotments && r.stock !== null ? Math.max(0, (r.granted ?? 0) - (r.consumed ?? 0)) : 0,
    oversold: r.oversold,
    allotments,
  };
}

export interface Allotment {
  id: string;
  granted: number;
  consumed: number;
  /**
   * Allotted units the server counted as consumed by this workstation that
   * its ledger does not have (online-first redemptions it then refused or
   * withdrew, stored there as conflicts or reversed), as of the last answer:
   * sent on top of `consumed` when asking for a share, so the server reserves
   * the share beyond everything it will count.
   */
  serverExtra: number;
}

/** What the sync client reads just before asking for an allotment (see applyAnswer). */
export interface BeforeAsking {
  /** The local events the server has answered: its count includes them. */
  answered: string[];
  /** The allot units of this workstation's redemptions the server has answered: its consumed includes them. */
  consumedAnswered: number;
}

export class CampaignStock {
  private readonly settings: Settings;
  private readonly s;

  constructor(private readonly db: Db) {
    this.settings = new Settings(db);
    this.s = {
      consume: db.prepare(
        'INSERT INTO campaign_allotments (id, granted, consumed) VALUES (?, 0, ?) ON CONFLICT(id) DO UPDATE SET consumed = consumed + excluded.consumed',
      ),
      uncounted: db.prepare('INSERT OR IGNORE INTO campaign_uncounted (event_id, campaign, units) VALUES (?, ?, ?)'),
      answered: db.prepare<[string], { event_id: string }>(
        `SELECT x.event_id FROM campaign_uncounted x JOIN sync_outbox o ON o.id = x.event_id WHERE x.campaign = ? AND o.status IS NOT NULL`,
      ),
      forget: db.prepare('DELETE FROM campaign_uncounted WHERE event_id = ?'),
      count: db.prepare(
        `INSERT INTO campaign_counts (id, stock, redeemed, reserved, counted_at) VALUES (@id, @stock, @redeemed, @reserved, @at)
         ON CONFLICT(id) DO UPDATE SET stock = excluded.stock, redeemed = excluded.redeemed, reserved = excluded.reserved, counted_at = excluded.counted_at`,
      ),
      noCount: db.prepare('DELETE FROM campaign_counts WHERE id = ?'),
      lastCount: db.prepare<[string], { stock: number | null; redeemed: number; reserved: number; counted_at: number }>(
        'SELECT stock, redeemed, reserved, counted_at FROM campaign_counts WHERE id = ?',
      ),
      grant: db.prepare('INSERT INTO campaign_allotments (id, granted, consumed) VALUES (?, ?, 0) ON CONFLICT(id) DO UPDATE SET granted = excluded.granted'),
      allotment: db.prepare<[string], Allotment>('SELECT id, granted, consumed, server_extra AS serverExtra FROM campaign_allotments WHERE id = ?'),
      allotments: db.prepare<[], Allotment>('SELECT id, granted, consumed, server_extra AS serverExtra FROM campaign_allotments ORDER BY id'),
      consumedInLedger: db.prepare<[string], { n: number | null }>(
        `SELECT sum(e.allot) AS n FROM events e LEFT JOIN sync_outbox o ON o.id = e.id
          WHERE e.cmp = ? AND e.remote = 0 AND e.type = 'redemption' AND e.allot > 0 AND o.status IS NOT 'rejected'`,
      ),
      // ...of them, those the server has answered (or that came back from it): its consumed has them.
      consumedAnswered: db.prepare<[string], { n: number | null }>(
        `SELECT sum(e.allot) AS n FROM events e LEFT JOIN sync_outbox o ON o.id = e.id
          WHERE e.cmp = ? AND e.remote = 0 AND e.type = 'redemption' AND e.allot > 0 AND (o.id IS NULL OR o.status IS NOT NULL) AND o.status IS NOT 'rejected'`,
      ),
      syncConsumed: db.prepare('UPDATE campaign_allotments SET consumed = ? WHERE id = ?'),
      answer: db.prepare(
        `INSERT INTO campaign_allotments (id, granted, consumed, server_extra) VALUES (@id, @granted, @consumed, @extra)
         ON CONFLICT(id) DO UPDATE SET granted = excluded.granted, consumed = excluded.consumed, server_extra = excluded.server_extra`,
      ),
      recentUnits: db.prepare<[string, number], { n: number | null }>(
        `SELECT sum(CASE WHEN kind = 'value' THEN 1 ELSE coalesce(units, 0) END) AS n FROM events
          WHERE cmp = ? AND at >= ? AND remote = 0 AND type = 'redemption'`,
      ),
      oversell: db.prepare(
        `INSERT OR IGNORE INTO campaign_oversells (event_id, campaign, units, reported_at)
         SELECT id, cmp, ?, ? FROM events WHERE id = ? AND type = 'redemption'`,
      ),
      oversells: db.prepare<[number, number], { eventId: string; campaign: string | null; units: number; at: number }>(
        `SELECT o.event_id AS eventId, o.campaign, o.units, e.at FROM campaign_oversells o JOIN events e ON e.id = o.event_id
          WHERE e.at >= ? AND e.at < ? ORDER BY e.at`,
      ),
    };
  }

  /** Whether the server said `Sync-Protocol: 2` (and one is configured): else no allot, every campaign lenient. */
  allotments(): boolean {
    return this.settings.get(PROTOCOL_SETTING) === '2' && this.settings.get('server') !== null;
  }

  /** After close of day: no share is asked before `until` (ms). */
  pauseUntil(until: number): void {
    this.settings.set(PAUSE_SETTING, String(until));
  }

  pausedUntil(): number {
    return this.settings.getNumber(PAUSE_SETTING, 0);
  }

  /** A redemption took `units` of a stocked campaign, `allot` of them from the allotment; call in its transaction. */
  taken(campaign: string, eventId: string, units: number, allot: number): void {
    if (allot > 0) this.s.consume.run(campaign, allot);
    this.s.uncounted.run(eventId, campaign, units);
  }

  /** A local reversal gave `units` back to the count (never to the allotment); call in its transaction. */
  givenBack(campaign: string, reversalId: string, units: number): void {
    this.s.uncounted.run(reversalId, campaign, -units);
  }

  // ---------------------------------------------------------------- the sync client's side

  /** What the server's answer will include of this workstation's events. Read just before asking. */
  beforeAsking(campaign: string): BeforeAsking {
    return {
      answered: this.s.answered.all(campaign).map((r) => r.event_id),
      consumedAnswered: this.s.consumedAnswered.get(campaign)?.n ?? 0,
    };
  }

  /**
   * This workstation's allotment of a campaign, `consumed` read again from its
   * own ledger: the `allot` units of its redemptions, uploaded or not, less
   * those the server rejected (which consume nothing there), and those of its
   * own events brought back after a rebuild. The running count kept with each
   * redemption is set to it (between two calls it may only be too high: safe).
   */
  allotment(campaign: string): Allotment {
    const inLedger = this.s.consumedInLedger.get(campaign)?.n ?? 0;
    const row = this.s.allotment.get(campaign);
    if (row && inLedger !== row.consumed) this.s.syncConsumed.run(inLedger, campaign);
    return { id: campaign, granted: row?.granted ?? 0, consumed: inLedger, serverExtra: row?.serverExtra ?? 0 };
  }

  /** The server's last count of a campaign, or null. */
  lastCount(campaign: string): { stock: number | null; redeemed: number; reserved: number; countedAt: number } | null {
    const r = this.s.lastCount.get(campaign);
    return r ? { stock: r.stock, redeemed: r.redeemed, reserved: r.reserved, countedAt: r.counted_at } : null;
  }

  /** Every campaign this workstation holds or held an allotment of. */
  allAllotments(): Allotment[] {
    return this.s.allotments.all();
  }

  /** Lowers the grant before asking for less, so a lost answer never leaves units here the server took back. */
  lowerGrant(campaign: string, granted: number): void {
    const row = this.s.allotment.get(campaign);
    if (row && granted < row.granted) this.s.grant.run(campaign, granted);
  }

  /**
   * Stores an allotment answer: the share this workstation may spend, and the
   * count that includes `before.answered` (both read before asking).
   *
   * The share is the server's: its `held` (granted − what it counts as
   * consumed) less the allot units of this workstation's redemptions it had
   * not answered when asked (made offline, or while the call was under way),
   * which will take their units from that held when they arrive. So the units
   * spendable here never pass what the server reserved for them, even when
   * the server counts consumed units this ledger does not have (a conflict or
   * a withdrawn online-first redemption: `serverExtra`, kept for the next ask).
   */
  applyAnswer(a: AllotmentAnswer, before: BeforeAsking, now: number): void {
    this.db.transaction(() => {
      const consumed = this.s.consumedInLedger.get(a.campaign)?.n ?? 0;
      const pending = Math.max(0, consumed - before.consumedAnswered);
      const share = a.stock === null ? 0 : Math.max(0, a.held - pending);
      const extra = Math.max(0, a.granted - a.held - before.consumedAnswered);
      this.s.answer.run({ id: a.campaign, granted: consumed + share, consumed, extra });
      if (a.stock === null) {
        this.s.noCount.run(a.campaign);
        return;
      }
      const at = a.serverTime && !Number.isNaN(Date.parse(a.serverTime)) ? Date.parse(a.serverTime) : now;
      this.s.count.run({ id: a.campaign, stock: a.stock, redeemed: a.redeemed, reserved: a.reserved, at });
      for (const id of before.answered) this.s.forget.run(id);
    })();
  }

  /** Stock units this workstation redeemed in a campaign since `since` (ms): its recent rate. */
  unitsSince(campaign: string, since: number): number {
    return this.s.recentUnits.get(campaign, since)?.n ?? 0;
  }

  /** The server reported units of one of our redemptions oversold: kept once per event. Call inside a transaction or alone. */
  recordOversell(eventId: string, units: number, now: number): void {
    this.s.oversell.run(units, now, eventId);
  }

  /** This workstation's oversold redemptions made in [from, to). */
  oversells(from: number, to: number): { eventId: string; campaign: string | null; units: number; at: number }[] {
    return this.s.oversells.all(from, to);
  }
}
