import type { Ask, CampaignView, RedeemResult, Remaining, VoucherView } from '../../../preload/contract';
import { UserError } from '../errors';
import type { Ledger } from '../ledger/ledger';
import { toHistoryEntry } from '../ledger/ledger';
import type { Db } from '../db/open';
import { termsOf, type Claims, type VoucherTerms } from '../vouchers/claims';
import { openVoucher, type Keyring } from '../vouchers/codec';
import type { Logger } from '../log';
import type { Catalog } from '../catalog/catalog';
import type { Points } from '../points/points';
import { idFactory } from '../ids';
import type { EventFields } from '../sync/wire';
import { SOLD_OUT } from '../../../common/protocol/stock';
import type { OnlineAnswer, OnlineFirst } from './online';
import { PinAttempts } from './pin';
import { LastRedemption } from './repeat';
import { allotFor, stockBound, stockShortfall, stockUnits, strictHere } from './stock';
import { defaultUnits } from './units';
import { voucherView } from './view';

export { PIN_LOCK_MS, PIN_MAX_FAILURES, pinMatches } from './pin';
export { REPEAT_WINDOW_MS } from './repeat';
export type { OnlineAnswer, OnlineFirst, OnlineFirstRef } from './online';

export interface Context {
  merchantId(): string | null;
  toleranceSeconds(): number;
  /** The latest time this workstation has trusted (ms), or 0. */
  trustedTime(): number;
  recordTrustedTime(ms: number): void;
  device(): string;
  branch(): string | null;
  cashier(): string | null;
}

export interface RedeemerOptions {
  /** The sync client, when the workstation has a server (online-first redemption). */
  online?: OnlineFirst | null;
  /** Wraps every verification and redemption (the database's idle checkpointer waits for them). */
  guard?: <T>(work: () => Promise<T>) => Promise<T>;
}

/** The cashier's answers for a scan, and the time it is decided at. */
export interface RedeemOptions {
  pin?: string | undefined;
  units?: number | undefined;
  amount?: number | undefined;
  /** Seconds since the epoch; when given, the clock is not trusted from it. */
  now?: number | undefined;
}

/**
 * What a scan is for: `verify` records nothing; `redeem` records with the answers
 * given (all that is left when no units are given); `redeemUnlessAsking` records
 * only when nothing needs asking, else answers with `ask` and records nothing.
 */
export type ScanIntent = 'verify' | 'redeem' | 'redeemUnlessAsking';
export interface ScanOptions extends RedeemOptions {
  intent: ScanIntent;
}

/** Results carry the raw claims for the CLI; the screens get `voucher` only (see withoutClaims). */
export type ScanResult = RedeemResult & { claims?: Claims };

/** One opened voucher being decided: what every rule reads. */
interface Scan {
  opts: ScanOptions;
  claims: Claims;
  terms: VoucherTerms;
  voucher: VoucherView;
  /** unknownProduct, known once opened. */
  flags: string[];
  nowMs: number;
  realClock: boolean;
  /** Whether the server is asked (or answered): else the stock is decided offline (strict: the allotment only). */
  online: boolean;
}

/** What the ledger and catalog say of the voucher now, once steps 6-8 passed. */
interface Standing {
  remaining: Remaining;
  campaign: CampaignView | null;
  /** The scan's flags, with unknownCampaign. */
  flags: string[];
}

/** Set when the server already holds the event (online-first): its id and time, and how it was answered. */
interface Preset {
  id: string;
  offline: boolean;
  uploaded: 'stored' | 'duplicate' | null;
  /** The campaign units from the allotment, as the server was told. */
  allot: number;
}

/**
 * Verify and redeem (docs/spec/voucher-format.md §6). One scan opens the voucher once
 * (steps 1-3, the codec) and passes the rules once; steps 6-10 and the recording run
 * in one IMMEDIATE transaction, so two redemptions of the same voucher, in this
 * process or another on the same file, are serialised and cannot both take the last
 * unit. The core, not the screen, decides what must be asked before recording.
 */
export class Redeemer {
  private readonly pins: PinAttempts;
  private readonly lastHere = new LastRedemption<ScanResult>();
  private readonly nextId = idFactory();
  private readonly online: OnlineFirst | null;
  private readonly guard: <T>(work: () => Promise<T>) => Promise<T>;

  constructor(
    db: Db,
    private readonly keyring: Keyring,
    private readonly ledger: Ledger,
    private readonly ctx: Context,
    private readonly log: Logger,
    private readonly catalog: Catalog,
    private readonly points: Points,
    opts: RedeemerOptions = {},
  ) {
    this.pins = new PinAttempts(db);
    this.online = opts.online ?? null;
    this.guard = opts.guard ?? ((work) => work());
  }

  /** A scan: the verdict, what to ask next, and the redemption when one was recorded. */
  scan(text: string, opts: ScanOptions): Promise<ScanResult> {
    return this.guard(() => this.decideScan(text, opts));
  }

  verify(text: string, opts: RedeemOptions): Promise<ScanResult> {
    return this.scan(text, { ...opts, intent: 'verify' });
  }

  redeem(text: string, opts: RedeemOptions): Promise<ScanResult> {
    return this.scan(text, { ...opts, intent: 'redeem' });
  }

  /** Admin: forget the wrong PINs of a voucher on this workstation. */
  unlockPin(iss: string, jti: string): void {
    this.pins.forget(iss, jti);
  }

  private async decideScan(text: string, opts: ScanOptions): Promise<ScanResult> {
    const realClock = opts.now === undefined;
    const nowMs = realClock ? Date.now() : opts.now! * 1000;

    // Steps 1-3, the only time this scan opens the voucher.
    const opened = await openVoucher(text, this.keyring);
    if (opened.verdict !== 'VALID') return opened.detail ? { verdict: opened.verdict, detail: opened.detail } : { verdict: opened.verdict };
    const claims = opened.claims;
    // A double read at the counter of the redemption just made here: the same green
    // answer again, nothing recorded. Only the counter's scans (redeemUnlessAsking)
    // come from a scanner; an explicit redeem (the CLI, an answered question) is decided as asked.
    if (opts.intent === 'redeemUnlessAsking') {
      const repeat = this.lastHere.repeatOf(claims.iss, claims.jti, nowMs, this.ledger);
      if (repeat) {
        this.log.info('repeat', { iss: claims.iss, jti: claims.jti, event: repeat.event?.id });
        return repeat;
      }
    }
    const voucher = voucherView(claims, this.catalog.productName(claims.sku ?? null));
    const ready = this.online?.ready() ?? false;
    const s: Scan = { opts, claims, terms: termsOf(claims), voucher, flags: claims.sku && voucher.product === null ? ['unknownProduct'] : [], nowMs, realClock, online: ready };

    // 4. Merchant.
    if (claims.mid !== this.ctx.merchantId()) return this.refusal(s, s.flags, 'WRONG_MERCHANT');
    // 5. Time, with tolerance, and the clock guard.
    const tol = this.ctx.toleranceSeconds();
    const now = nowMs / 1000;
    if (claims.nbf !== undefined && now < claims.nbf - tol) return this.refusal(s, s.flags, 'NOT_YET_VALID');
    if (claims.exp !== undefined && now >= claims.exp + tol) return this.refusal(s, s.flags, 'EXPIRED');
    const trusted = this.ctx.trustedTime();
    if (trusted - nowMs > tol * 1000) return this.refusal(s, s.flags, 'CLOCK_BEHIND', { detail: { reason: 'clockBehind', trustedAt: trusted } });

    const online = opts.intent !== 'verify' && ready ? this.online : null;
    if (online) return this.redeemOnlineFirst(s, online);
    // 6-10 and the recording in one transaction: the campaign's stock and the
    // voucher's remainder are read and taken under the same lock.
    return this.ledger.exclusive(() => {
      const decided = this.decide(s);
      return 'answer' in decided ? decided.answer : this.record(s, decided.standing);
    });
  }

  /**
   * Online-first: steps 6-9 and the question under the lock, then the would-be event
   * goes to the server with no lock held, then the recording transaction reads the
   * ledger again (a redemption elsewhere in the meantime is refused there).
   */
  private async redeemOnlineFirst(s: Scan, online: OnlineFirst): Promise<ScanResult> {
    const decided = this.ledger.exclusive(() => this.decide(s));
    if ('answer' in decided) return decided.answer;
    const { terms, claims, nowMs } = s;
    const { take } = this.amountToTake(s, decided.standing);
    const allot = allotFor(decided.standing.campaign, stockUnits(terms, take));
    const event: EventFields = {
      id: this.nextId(nowMs),
      type: 'redemption',
      iss: terms.iss,
      jti: terms.jti,
      mid: claims.mid,
      branch: this.ctx.branch(),
      device: this.ctx.device(),
      at: nowMs,
      units: terms.kind === 'value' ? null : take,
      amount: terms.kind === 'value' ? take : null,
      cur: terms.cur,
      cashier: this.ctx.cashier(),
      member: null,
      offline: false,
      ...(allot > 0 ? { allot } : {}),
    };
    const answer = await online.ask(event);
    try {
      return this.afterAnswer(s, online, decided, event, allot, answer);
    } finally {
      // Recorded, refused or withdrawn: nothing for a restart to undo (see OnlineFirst.settled).
      online.settled(event.id);
    }
  }

  /** The online-first answer is in (or lost): refuse, or record under the lock. */
  private afterAnswer(s: Scan, online: OnlineFirst, decided: { standing: Standing }, event: EventFields, allot: number, answer: OnlineAnswer | null): ScanResult {
    const { terms } = s;
    // The server has nothing free in the campaign: refused, nothing stored (other rejections are decided like no answer).
    if (answer?.status === 'rejected' && answer.reason === SOLD_OUT) {
      return this.refusal(s, decided.standing.flags, 'CAMPAIGN_CLOSED', { ...(decided.standing.campaign ? { campaign: decided.standing.campaign } : {}), detail: { reason: 'soldOut' } });
    }
    if (answer?.status === 'conflict') {
      online.refusedAfterConflict(event, answer.first);
      this.log.info('refused', { verdict: 'ALREADY_REDEEMED', iss: terms.iss, jti: terms.jti, by: 'server' });
      const { first } = answer;
      return {
        ...this.valid(s, decided.standing),
        verdict: 'ALREADY_REDEEMED',
        detail: { reason: 'usedElsewhere' },
        last: { eventId: first.id, at: Date.parse(first.at), branch: first.branch, device: first.device ?? '', cashier: null },
      };
    }
    // 'rejected' is decided like no answer: the event is recorded and the
    // rejection shows up on the next upload (the platform keeps the final word).
    const stored = answer?.status === 'stored' || answer?.status === 'duplicate' ? answer.status : null;
    s.online = stored !== null;
    let result: ScanResult;
    try {
      result = this.ledger.exclusive(() => {
        const standing = this.standing(s);
        return 'refused' in standing ? standing.refused : this.record(s, standing, { id: event.id, offline: answer === null, uploaded: stored, allot });
      });
    } catch (e) {
      if (stored || answer === null) online.withdraw(event, 'refused at the counter');
      throw e;
    }
    // No answer: the server may have stored it all the same (answer lost on the way back), so it is told to undo it.
    if ((stored || answer === null) && !result.event) online.withdraw(event, 'refused at the counter');
    return result;
  }

  /** Steps 6-9 and the question to ask; call inside exclusive(). An answer, or the standing to record with. */
  private decide(s: Scan): { answer: ScanResult } | { standing: Standing } {
    const standing = this.standing(s);
    if ('refused' in standing) return { answer: standing.refused };
    const { remaining, flags } = standing;

    // 9. The PIN, when the voucher has one.
    if (s.claims.pin !== undefined) {
      const pin = this.pins.check(s.terms, s.opts.pin, s.claims.pin, s.nowMs);
      if (!pin.ok && pin.missing) return { answer: this.refusal(s, flags, 'PIN_REQUIRED', { remaining, ask: { for: 'pin', wrong: false } }) };
      if (!pin.ok) {
        const lockedUntil = pin.lockedUntil;
        const extra =
          lockedUntil !== undefined ? { detail: { reason: 'locked', until: lockedUntil } as const } : { ask: { for: 'pin', wrong: true, triesLeft: pin.triesLeft } as const };
        return { answer: this.refusal(s, flags, 'PIN_WRONG', { remaining, triesLeft: pin.triesLeft, ...extra }) };
      }
    }

    const ask = this.question(s, standing);
    const { intent } = s.opts;
    if (intent === 'verify' || (ask && intent === 'redeemUnlessAsking')) return { answer: this.valid(s, standing, ask) };
    return { standing };
  }

  /** Steps 6-8, what can change while a scan is decided: revoked, campaign, what is left. Call inside exclusive(). */
  private standing(s: Scan): { refused: ScanResult } | Standing {
    const { terms, claims } = s;
    // 6. Revoked by the issuer.
    const revoked = this.catalog.revocation(terms.iss, terms.jti);
    if (revoked) return { refused: this.refusal(s, s.flags, 'REVOKED', { detail: { reason: 'revoked', note: revoked.reason } }) };

    // 7. Campaign: unknown ones redeem normally and are flagged.
    const campaign = claims.cmp ? this.catalog.campaign(claims.cmp) : null;
    const flags = claims.cmp && !campaign ? [...s.flags, 'unknownCampaign'] : s.flags;
    if (campaign) {
      const closed = this.catalog.campaignClosed(campaign, s.nowMs);
      if (closed) return { refused: this.refusal(s, flags, 'CAMPAIGN_CLOSED', { campaign, detail: { reason: closed.reason } }) };
      // Strict, offline, nothing held here: "sold out at this branch for now".
      if (strictHere(campaign) && !s.online && campaign.held === 0) return { refused: this.soldOutHere(s, flags, campaign) };
    }

    // 8. What is left.
    const remaining = this.ledger.remaining(terms);
    if (remaining.left <= 0 || remaining.usesLeft === 0) {
      const reason = remaining.left > 0 ? 'useCapReached' : terms.kind === 'value' ? 'balanceUsedUp' : 'nothingLeft';
      const last = this.ledger.lastRedemption(terms.iss, terms.jti);
      return { refused: this.refusal(s, flags, 'ALREADY_REDEEMED', { remaining, detail: { reason }, ...(last ? { last } : {}) }) };
    }
    return { remaining, campaign, flags };
  }

  /** What the cashier must answer before recording: the amount of a stored-value purchase, or how many of several units. */
  private question(s: Scan, { remaining, campaign }: Standing): Ask | undefined {
    const { left } = remaining;
    if (s.terms.kind === 'value') return s.opts.amount === undefined ? { for: 'amount', balance: left, cur: s.terms.cur } : undefined;
    if (s.opts.units !== undefined || left <= 1) return undefined;
    // The most units one redemption can take now: what is left, bounded by the campaign's stock (offline and strict: what is held here).
    const bound = stockBound(campaign, s.online);
    const max = Math.max(1, bound === null ? left : Math.min(left, bound));
    return { for: 'units', max, take: defaultUnits(remaining, max) };
  }

  /** Step 10 and the recording; call inside exclusive() after standing() (and decide()) passed. */
  private record(s: Scan, standing: Standing, preset?: Preset): ScanResult {
    const { terms, claims, nowMs } = s;
    const { remaining, campaign } = standing;
    const { take, due } = this.amountToTake(s, standing);
    const stockTaken = stockUnits(terms, take);
    const allot = preset?.allot ?? allotFor(campaign, stockTaken);
    const short = stockShortfall(campaign, stockTaken, allot, s.online);
    if (short && 'soldOutHere' in short) return this.soldOutHere(s, standing.flags, campaign!);
    if (short) throw new UserError('redeem.campaignStockShort', `Only ${short.short} left in campaign ${campaign!.name}.`, { left: short.short, campaign: campaign!.name });
    const event = this.ledger.appendRedemption({
      terms,
      mid: claims.mid,
      sku: claims.sku ?? null,
      take,
      at: nowMs,
      device: this.ctx.device(),
      branch: this.ctx.branch(),
      cashier: this.ctx.cashier(),
      cmp: claims.cmp ?? null,
      ...(standing.flags.length ? { extra: { flags: standing.flags } } : {}),
      ...(preset ?? {}),
      allot,
    });
    if (campaign) this.catalog.useCampaign(campaign.id, stockTaken, event.id, allot);
    const shared = claims.ref !== undefined && claims.ref.length > 0;
    const credited = shared ? this.points.credit(event.id, claims, nowMs) : [];
    if (s.realClock) this.ctx.recordTrustedTime(nowMs);
    const after: Remaining = {
      left: remaining.left - take,
      face: remaining.face,
      usesLeft: remaining.usesLeft === null ? null : remaining.usesLeft - 1,
    };
    this.log.info('redeemed', { iss: terms.iss, jti: terms.jti, event: event.id, take });
    const answer: ScanResult = {
      ...this.valid(s, standing),
      remaining: after,
      event: toHistoryEntry(event, s.voucher.product),
      ...(campaign ? { campaign: this.catalog.campaign(campaign.id)! } : {}),
      ...(credited.length ? { points: credited } : {}),
      ...(due > 0 ? { due } : {}),
    };
    this.lastHere.remember(terms, nowMs, answer);
    return answer;
  }

  private valid(s: Scan, { remaining, campaign, flags }: Standing, ask?: Ask): ScanResult {
    const lvl = s.claims.lvl;
    return {
      verdict: 'VALID',
      voucher: s.voucher,
      claims: s.claims,
      remaining,
      ...(campaign ? { campaign } : {}),
      ...(lvl !== undefined ? { discount: { level: lvl, perk: this.points.perkOfLevel(lvl) } } : {}),
      ...(flags.length ? { flags } : {}),
      ...(ask ? { ask } : {}),
    };
  }

  /** Strict, offline, nothing held here: refused, and the server is tried at once (when it is back, the next scan is asked online). */
  private soldOutHere(s: Scan, flags: string[], campaign: CampaignView): ScanResult {
    this.online?.probe();
    return this.refusal(s, flags, 'CAMPAIGN_CLOSED', { campaign, detail: { reason: 'soldOutHere' } });
  }

  private refusal(s: Scan, flags: string[], verdict: RedeemResult['verdict'], extra: Partial<Omit<RedeemResult, 'claims'>> = {}): ScanResult {
    this.log.info('refused', { verdict, iss: s.terms.iss, jti: s.terms.jti });
    return { verdict, voucher: s.voucher, claims: s.claims, ...(flags.length ? { flags } : {}), ...extra };
  }

  private amountToTake(s: Scan, { remaining }: Standing): { take: number; due: number } {
    const { opts } = s;
    const { left } = remaining;
    if (s.terms.kind === 'value') {
      if (opts.amount === undefined) {
        throw new UserError('redeem.amountRequired', 'Enter the purchase amount for this stored-value voucher.');
      }
      const take = Math.min(opts.amount, left);
      return { take, due: opts.amount - take };
    }
    // No units given: all that is left. The counter never gets here with more than one
    // left (it is asked first, and Enter answers the question's `take`); an explicit
    // `voucher.redeem` without units (the CLI's `redeem`) takes what it says.
    const units = opts.units ?? left;
    if (units > left) {
      throw new UserError('redeem.tooManyUnits', `Only ${left} left on this voucher.`, { left, asked: units });
    }
    return { take: units, due: 0 };
  }
}

/** What the screens get: everything but the raw claims (which hold the PIN hash). */
export function withoutClaims<T extends { claims?: Claims }>(r: T): Omit<T, 'claims'> {
  const { claims: _claims, ...rest } = r;
  return rest;
}
