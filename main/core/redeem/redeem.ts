import { createHash, timingSafeEqual } from 'node:crypto';
import type { RedeemResult, VerifyResult, VoucherView } from '../../../preload/contract';
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

/** Wrong PINs allowed before a voucher is locked on this workstation, and for how long. */
export const PIN_MAX_FAILURES = 5;
export const PIN_LOCK_MS = 15 * 60 * 1000;

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

/**
 * Online-first redemption (docs/spec/sync-protocol.md): asks the server before recording.
 * Implemented by the sync client; absent or not ready means "decide offline".
 */
export interface OnlineFirst {
  /** True when the server answered within the last minute and sync is configured. */
  ready(): boolean;
  /** Posts the would-be event; null when there was no usable answer (timeout, network, error). */
  ask(event: EventFields): Promise<OnlineAnswer | null>;
  /** The server stored the event as a conflict: it is refused here; record that honestly. */
  refusedAfterConflict(event: EventFields, first: OnlineFirstRef): void;
  /** The server stored the event but the counter refused it after all: tell the server. */
  withdraw(event: EventFields, why: string): void;
}
export interface OnlineFirstRef {
  id: string;
  branch: string | null;
  device: string | null;
  at: string;
}
export type OnlineAnswer =
  | { status: 'stored' | 'duplicate' }
  | { status: 'conflict'; first: OnlineFirstRef }
  | { status: 'rejected'; reason: string };

export interface RedeemerOptions {
  /** The sync client, when the workstation has a server (online-first redemption). */
  online?: OnlineFirst | null;
  /** Wraps every verification and redemption (the database's idle checkpointer waits for them). */
  guard?: <T>(work: () => Promise<T>) => Promise<T>;
}

export interface RedeemOptions {
  pin?: string | undefined;
  units?: number | undefined;
  amount?: number | undefined;
  /** Seconds since the epoch; when given, the clock is not trusted from it. */
  now?: number | undefined;
}

export function pinMatches(jti: string, pin: string, expected: string): boolean {
  const got = createHash('sha256').update(`${jti}:${pin}`, 'utf8').digest();
  let want: Buffer;
  try {
    want = Buffer.from(expected, 'base64url');
  } catch {
    return false;
  }
  return want.length === got.length && timingSafeEqual(got, want);
}

function view(c: Claims, product: string | null): VoucherView {
  const t = termsOf(c);
  return {
    iss: c.iss,
    jti: c.jti,
    mid: c.mid,
    kind: t.kind,
    sku: c.sku ?? null,
    product,
    sub: c.sub ?? null,
    qty: t.kind === 'value' ? null : t.face,
    val: c.val ?? null,
    cur: c.cur ?? null,
    use: c.use ?? null,
    exp: c.exp ?? null,
    nbf: c.nbf ?? null,
    pinRequired: c.pin !== undefined,
    cmp: c.cmp ?? null,
    ref: c.ref ?? null,
    shr: c.shr ?? null,
    lvl: c.lvl ?? null,
  };
}

/**
 * Verify and redeem (docs/spec/voucher-format.md §6). Steps 1-3 are the codec; 4-7 are
 * rules that need no writes; 8-10 and the recording run in one IMMEDIATE
 * transaction, so two redemptions of the same voucher, in this process or
 * another on the same file, are serialised and cannot both take the last unit.
 */
export class Redeemer {
  private readonly pinRow;
  private readonly pinFail;
  private readonly pinClear;
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
    this.online = opts.online ?? null;
    this.guard = opts.guard ?? ((work) => work());
    this.pinRow = db.prepare<[string, string], { failures: number; locked_until: number | null }>(
      'SELECT failures, locked_until FROM pin_attempts WHERE iss = ? AND jti = ?',
    );
    this.pinFail = db.prepare(
      `INSERT INTO pin_attempts (iss, jti, failures, locked_until) VALUES (@iss, @jti, 1, NULL)
       ON CONFLICT(iss, jti) DO UPDATE SET
         failures = CASE WHEN locked_until IS NOT NULL AND locked_until <= @now THEN 1 ELSE failures + 1 END,
         locked_until = CASE
           WHEN (CASE WHEN locked_until IS NOT NULL AND locked_until <= @now THEN 1 ELSE failures + 1 END) >= @max THEN @now + @lock
           ELSE NULL END`,
    );
    this.pinClear = db.prepare('DELETE FROM pin_attempts WHERE iss = ? AND jti = ?');
  }

  /** Results carry the raw claims for the CLI; the screens get `voucher` only (see withoutClaims). */
  verify(text: string, opts: RedeemOptions): Promise<VerifyResult & { claims?: Claims }> {
    return this.guard(() => this.run(text, opts, false));
  }

  redeem(text: string, opts: RedeemOptions): Promise<RedeemResult & { claims?: Claims }> {
    return this.guard(() => this.redeemNow(text, opts));
  }

  private async redeemNow(text: string, opts: RedeemOptions): Promise<RedeemResult & { claims?: Claims }> {
    const online = this.online;
    if (!online?.ready()) return this.run(text, opts, true);
    // Online-first: steps 1-9 locally without recording (no lock held while the
    // network answers), then the would-be event goes to the server, then the
    // recording transaction checks everything again.
    const pre = await this.run(text, opts, false);
    if (pre.verdict !== 'VALID' || !pre.claims || !pre.remaining) return pre;
    const claims = pre.claims;
    const terms = termsOf(claims);
    const nowMs = opts.now === undefined ? Date.now() : opts.now * 1000;
    const { take } = this.amountToTake(terms, pre.remaining.left, opts);
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
    };
    const answer = await online.ask(event);
    if (answer?.status === 'conflict') {
      online.refusedAfterConflict(event, answer.first);
      this.log.info('refused', { verdict: 'ALREADY_REDEEMED', iss: terms.iss, jti: terms.jti, by: 'server' });
      const { claims: _c, ...rest } = pre;
      return {
        ...rest,
        claims,
        verdict: 'ALREADY_REDEEMED',
        detail: 'usedElsewhere',
        last: { eventId: answer.first.id, at: Date.parse(answer.first.at), branch: answer.first.branch, device: answer.first.device ?? '', cashier: null },
      };
    }
    // 'rejected' is decided like no answer: the event is recorded and the
    // rejection shows up on the next upload (the platform keeps the final word).
    const stored = answer?.status === 'stored' || answer?.status === 'duplicate' ? answer.status : null;
    let result: RedeemResult & { claims?: Claims };
    try {
      result = await this.run(text, opts, true, { id: event.id, at: nowMs, offline: answer === null, uploaded: stored });
    } catch (e) {
      if (stored) online.withdraw(event, 'refused at the counter');
      throw e;
    }
    if (stored && !result.event) online.withdraw(event, 'refused at the counter');
    return result;
  }

  private async run(
    text: string,
    opts: RedeemOptions,
    record: boolean,
    preset?: { id: string; at: number; offline: boolean; uploaded: 'stored' | 'duplicate' | null },
  ): Promise<RedeemResult & { claims?: Claims }> {
    const realClock = opts.now === undefined;
    const nowMs = preset ? preset.at : realClock ? Date.now() : opts.now! * 1000;

    // Steps 1-3.
    const opened = await openVoucher(text, this.keyring);
    if (opened.verdict !== 'VALID') return { verdict: opened.verdict };
    const claims = opened.claims;
    const terms = termsOf(claims);
    const voucher = view(claims, this.catalog.productName(claims.sku ?? null));
    const flags: string[] = [];
    if (claims.sku && voucher.product === null) flags.push('unknownProduct');
    const shared = claims.ref !== undefined && claims.ref.length > 0;
    const discount = claims.lvl !== undefined ? { discount: { level: claims.lvl, perk: this.points.perkOfLevel(claims.lvl) } } : {};
    const refusal = (verdict: RedeemResult['verdict'], extra: Partial<RedeemResult> = {}): RedeemResult & { claims: Claims } => {
      this.log.info('refused', { verdict, iss: terms.iss, jti: terms.jti });
      return { verdict, voucher, claims, ...(flags.length ? { flags } : {}), ...extra };
    };

    // 4. Merchant.
    if (claims.mid !== this.ctx.merchantId()) return refusal('WRONG_MERCHANT');

    // 5. Time, with tolerance, and the clock guard.
    const tol = this.ctx.toleranceSeconds();
    const now = nowMs / 1000;
    if (claims.nbf !== undefined && now < claims.nbf - tol) return refusal('NOT_YET_VALID');
    if (claims.exp !== undefined && now >= claims.exp + tol) return refusal('EXPIRED');
    if (this.ctx.trustedTime() - nowMs > tol * 1000) return refusal('CLOCK_BEHIND', { detail: new Date(this.ctx.trustedTime()).toISOString() });

    // 6-10 (and the recording) in one transaction: the campaign's stock and the
    // voucher's remainder are read and taken under the same lock.
    return this.ledger.exclusive(() => {
      // 6. Revoked by the issuer.
      const revoked = this.catalog.revocation(terms.iss, terms.jti);
      if (revoked) return refusal('REVOKED', { detail: revoked.reason });

      // 7. Campaign: unknown ones redeem normally and are flagged.
      const campaign = claims.cmp ? this.catalog.campaign(claims.cmp) : null;
      if (claims.cmp && !campaign) flags.push('unknownCampaign');
      if (campaign) {
        const closed = this.catalog.campaignClosed(campaign, nowMs);
        if (closed) return refusal('CAMPAIGN_CLOSED', { campaign, detail: closed.reason });
      }

      // 8. What is left.
      const remaining = this.ledger.remaining(terms);
      if (remaining.left <= 0 || remaining.usesLeft === 0) {
        const detail = remaining.left > 0 ? 'useCapReached' : terms.kind === 'value' ? 'balanceUsedUp' : 'nothingLeft';
        const last = this.ledger.lastRedemption(terms.iss, terms.jti);
        return refusal('ALREADY_REDEEMED', { remaining, detail, ...(last ? { last } : {}) });
      }

      if (claims.pin !== undefined) {
        const attempts = this.pinRow.get(terms.iss, terms.jti);
        if (attempts?.locked_until && attempts.locked_until > nowMs) {
          return refusal('PIN_WRONG', { remaining, lockedUntil: attempts.locked_until, triesLeft: 0, detail: 'locked' });
        }
        if (opts.pin === undefined || opts.pin === '') return refusal('PIN_REQUIRED', { remaining });
        if (!pinMatches(terms.jti, opts.pin, claims.pin)) {
          this.pinFail.run({ iss: terms.iss, jti: terms.jti, now: nowMs, max: PIN_MAX_FAILURES, lock: PIN_LOCK_MS });
          const after = this.pinRow.get(terms.iss, terms.jti)!;
          const locked = after.locked_until !== null && after.locked_until > nowMs;
          return refusal('PIN_WRONG', {
            remaining,
            triesLeft: locked ? 0 : PIN_MAX_FAILURES - after.failures,
            ...(locked ? { lockedUntil: after.locked_until!, detail: 'locked' } : {}),
          });
        }
        this.pinClear.run(terms.iss, terms.jti);
      }

      const known = { ...(campaign ? { campaign } : {}), ...discount, ...(flags.length ? { flags } : {}) };
      if (!record) return { verdict: 'VALID', voucher, claims, remaining, ...known };

      const { take, due } = this.amountToTake(terms, remaining.left, opts);
      // A campaign's stock counts units (a stored-value purchase counts as one).
      const stockTaken = terms.kind === 'value' ? 1 : take;
      if (campaign && campaign.stock !== null && campaign.stock - campaign.used < stockTaken) {
        throw new UserError('redeem.campaignStockShort', `Only ${campaign.stock - campaign.used} left in campaign ${campaign.name}.`, {
          left: campaign.stock - campaign.used,
          campaign: campaign.name,
        });
      }
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
        ...(flags.length ? { extra: { flags } } : {}),
        ...(preset ? { id: preset.id, offline: preset.offline, uploaded: preset.uploaded } : {}),
      });
      if (campaign) this.catalog.useCampaign(campaign.id, stockTaken);
      const credited = shared ? this.points.credit(event.id, claims, nowMs) : [];
      if (realClock) this.ctx.recordTrustedTime(nowMs);
      const after: typeof remaining = {
        left: remaining.left - take,
        face: remaining.face,
        usesLeft: remaining.usesLeft === null ? null : remaining.usesLeft - 1,
      };
      this.log.info('redeemed', { iss: terms.iss, jti: terms.jti, event: event.id, take });
      return {
        verdict: 'VALID',
        voucher,
        claims,
        remaining: after,
        event: toHistoryEntry(event, voucher.product),
        ...known,
        ...(campaign ? { campaign: this.catalog.campaign(campaign.id)! } : {}),
        ...(credited.length ? { points: credited } : {}),
        ...(due > 0 ? { due } : {}),
      };
    });
  }

  private amountToTake(terms: VoucherTerms, left: number, opts: RedeemOptions): { take: number; due: number } {
    if (terms.kind === 'value') {
      if (opts.amount === undefined) {
        throw new UserError('redeem.amountRequired', 'Enter the purchase amount for this stored-value voucher.');
      }
      const take = Math.min(opts.amount, left);
      return { take, due: opts.amount - take };
    }
    const units = opts.units ?? left;
    if (units > left) {
      throw new UserError('redeem.tooManyUnits', `Only ${left} left on this voucher.`, { left, asked: units });
    }
    return { take: units, due: 0 };
  }

  /** Admin: forget the wrong PINs of a voucher on this workstation. */
  unlockPin(iss: string, jti: string): void {
    this.pinClear.run(iss, jti);
  }
}

/** What the screens get: everything but the raw claims (which hold the PIN hash). */
export function withoutClaims<T extends { claims?: Claims }>(r: T): Omit<T, 'claims'> {
  const { claims: _claims, ...rest } = r;
  return rest;
}
