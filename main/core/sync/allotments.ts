/**
 * Allotments (docs/spec/sync-protocol.md "POST /v1/allotments"): after a sync
 * round, for each stocked campaign open now, this workstation asks the server
 * for a share of the units left, one call at a time, and stores the grant and
 * the campaign's counts (catalog/stock.ts). It gives everything back (want 0)
 * at close of day and when a campaign has ended (or is no longer known here).
 * Only with a server that said `Sync-Protocol: 2`.
 *
 * The share asked for (`want`, the units to hold beyond those consumed):
 *   want = min(fair share, max(FLOOR, 2 × the units redeemed here in the last hour))
 * so a busy till holds about two hours of its own rate, a quiet one a few
 * units, and none holds more than a fair share of what is available: the units
 * the server counts as neither redeemed nor reserved, plus what this
 * workstation holds, divided by FAIR_PARTS (at least 1). Before its first
 * count a workstation asks for the floor; the server never grants more than
 * is free.
 *
 * Asking for less than it holds, the workstation lowers its own grant first,
 * so a lost answer can never let it spend units the server took back; asking
 * for more, it waits for the answer (a lost one only leaves units unused until
 * the next call, which is idempotent: the server sets granted = consumed + want).
 * After close of day no share is asked until the day's window ends (the
 * workstation may stay on; tomorrow's first sync asks again).
 */
import type { CampaignView } from '../../../preload/contract';
import { allotmentAnswer, type AllotmentRequest } from '../../../common/protocol/stock';
import type { Catalog } from '../catalog/catalog';
import type { Logger } from '../log';
import { SyncError, type SyncHttp } from './http';

/** The fewest units a workstation asks to hold. */
export const ALLOT_FLOOR = 2;
/** The window its recent rate is counted over, and how many of those windows it asks to hold. */
export const RATE_WINDOW_MS = 60 * 60_000;
export const RATE_WINDOWS = 2;
/** What is available is shared as if by this many workstations at most. */
export const FAIR_PARTS = 4;

export interface AllotmentDeps {
  http: SyncHttp;
  catalog: Catalog;
  log: Logger;
  timeoutMs(): number;
}

export class Allotments {
  constructor(private readonly d: AllotmentDeps) {}

  /** The share to ask for (see the rule above). */
  want(c: CampaignView, now: number): number {
    const stock = this.d.catalog.stock;
    const rate = stock.unitsSince(c.id, now - RATE_WINDOW_MS);
    const wanted = Math.max(ALLOT_FLOOR, RATE_WINDOWS * rate);
    const count = stock.lastCount(c.id);
    if (!count || count.stock === null) return wanted;
    const available = Math.max(0, count.stock - count.redeemed - count.reserved) + c.held;
    return Math.min(wanted, Math.max(1, Math.ceil(available / FAIR_PARTS)));
  }

  /** After a sync round: a share of every stocked campaign open now; what is held of ended or unknown ones goes back. */
  async round(now = Date.now()): Promise<void> {
    const stock = this.d.catalog.stock;
    if (!stock.allotments()) return;
    const known = new Set<string>();
    for (const c of this.d.catalog.campaigns()) {
      if (c.stock === null) continue;
      known.add(c.id);
      if (c.from !== null && now < c.from) continue;
      if (c.to !== null && now >= c.to) {
        if (c.held > 0) await this.ask(c.id, 0);
        continue;
      }
      // After close of day, until the day is over: nothing new is asked, what is held goes back.
      const paused = now < stock.pausedUntil();
      if (!paused || c.held > 0) await this.ask(c.id, paused ? 0 : this.want(c, now));
    }
    for (const a of stock.allAllotments()) if (!known.has(a.id) && a.granted > a.consumed) await this.ask(a.id, 0);
  }

  /** Close of day: everything held goes back, and no share is asked before `until` (ms). */
  async giveBackAll(until: number): Promise<void> {
    const stock = this.d.catalog.stock;
    if (!stock.allotments()) return;
    stock.pauseUntil(until);
    // Every grant here is lowered before the first call: one lost answer leaves nothing to spend offline anywhere.
    const held = stock.allAllotments().filter((a) => a.granted > stock.allotment(a.id).consumed);
    for (const a of held) stock.lowerGrant(a.id, stock.allotment(a.id).consumed);
    let failed: unknown = null;
    for (const a of held) {
      try {
        await this.ask(a.id, 0);
      } catch (e) {
        failed ??= e;
      }
    }
    if (failed) throw failed;
  }

  /** One call: lower the grant first when asking for less, then store the answer with the count it includes. */
  private async ask(campaign: string, want: number): Promise<void> {
    const stock = this.d.catalog.stock;
    const { granted, consumed, serverExtra } = stock.allotment(campaign);
    if (consumed + want < granted) stock.lowerGrant(campaign, consumed + want);
    const before = stock.beforeAsking(campaign);
    // Asking for a share, what the server counts beyond this ledger is claimed too, so the share comes on top of it;
    // giving back, only the ledger's (the server keeps what it counts: nothing stays reserved).
    const req: AllotmentRequest = { campaign, consumed: consumed + (want > 0 ? serverExtra : 0), want };
    let body: unknown;
    try {
      body = await this.d.http.request('POST', '/v1/allotments', JSON.stringify(req), this.d.timeoutMs());
    } catch (e) {
      // A campaign the server does not know (set up on this workstation only): nothing to share.
      if (e instanceof SyncError && e.code === 'serverError' && e.params.status === 404) {
        this.d.log.info('allotment: campaign unknown to the server', { campaign });
        return;
      }
      throw e;
    }
    const read = allotmentAnswer.safeParse(body);
    if (!read.success || read.data.campaign !== campaign) throw new SyncError('badResponse');
    stock.applyAnswer(read.data, before, Date.now());
  }
}
