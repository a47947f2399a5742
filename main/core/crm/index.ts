import type { CrmSettings, MemberRow } from '../../../preload/api/crm';
import type { Db } from '../db/open';
import { UserError } from '../errors';
import type { KeyStore } from '../keystore/keystore';
import type { Ledger } from '../ledger/ledger';
import type { Logger } from '../log';
import type { Points } from '../points/points';
import type { Settings } from '../settings';
import type { PeopleOnVerdict, RedeemResult } from '../../../preload/api/vouchers';
import { People } from './crm';
import { peopleOnVerdict } from './labels';
import { Referrals } from './referrals';
import { MerchantTokens } from './tokens';

/** A member selected at the counter stays selected this long without a redemption. */
export const COUNTER_MEMBER_MS = 10 * 60 * 1000;

/**
 * The CRM service: people, referrals, merchant-issued tokens, and the hook
 * that follows the ledger (each redemption may be a referral voucher, a
 * holder who is a member, or the member selected at the counter).
 */
export class Crm {
  readonly people: People;
  readonly tokens: MerchantTokens;
  readonly referrals: Referrals;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly db: Db,
    private readonly settings: Settings,
    keystore: KeyStore,
    points: Points,
    private readonly log: Logger,
    device: () => string,
    private readonly ledger: Ledger,
    private readonly changed: (reason: string) => void = () => {},
  ) {
    this.people = new People(db, points, device, ledger);
    this.people.syncOn = () => this.crmSettings().syncEnabled;
    this.tokens = new MerchantTokens(db, keystore);
    this.referrals = new Referrals(db, settings, this.people, this.tokens, log);
  }

  crmSettings(): CrmSettings {
    return { syncEnabled: this.settings.get('crm.sync') === '1' };
  }

  setCrmSettings(s: CrmSettings): CrmSettings {
    this.settings.set('crm.sync', s.syncEnabled ? '1' : '0');
    return this.crmSettings();
  }

  // ------------------------------------------------------------ counter

  counterSelect(memberId: string | null, now: number): MemberRow | null {
    if (memberId === null) {
      this.people.counter = null;
      this.changed('counter');
      return null;
    }
    const m = this.people.need(memberId);
    this.people.counter = { id: m.id, at: now };
    this.changed('counter');
    return this.people.toRow(m);
  }

  counterMember(now: number): MemberRow | null {
    const c = this.people.counter;
    if (!c || now - c.at > COUNTER_MEMBER_MS) return null;
    const m = this.people.resolve(c.id);
    return m && !m.erased_at ? this.people.toRow(m) : null;
  }

  async counterScan(text: string, now: number): Promise<MemberRow> {
    const id = await this.tokens.readCard(text);
    if (!id) throw new UserError('crm.notAMemberCard', 'This is not a member card of this shop.');
    const m = this.people.resolve(id);
    if (!m || m.erased_at) throw new UserError('crm.unknownMember', 'There is no such member.', { id });
    return this.counterSelect(m.id, now)!;
  }

  /**
   * A scan's answer with its people named (customer, member, points holders).
   * After a redemption it waits for the CRM to follow it, so the member named is
   * the one the redemption went on.
   */
  async named<T extends RedeemResult>(r: T): Promise<T & { people?: PeopleOnVerdict }> {
    if (r.event) await this.idle();
    const people = peopleOnVerdict(
      {
        people: this.people,
        memberOfEvent: (id) => this.ledger.event(id)?.member ?? null,
        counterMemberId: () => this.counterMember(Date.now())?.id ?? null,
      },
      r,
    );
    return people ? { ...r, people } : r;
  }

  // ------------------------------------------------------------ following the ledger

  /** Queued after each ledger change; the returned promise settles when the CRM has caught up. */
  onLedgerChanged(eventId: string): Promise<void> {
    this.queue = this.queue.then(() => this.follow(eventId)).catch((e: unknown) => {
      this.log.error('crm follow failed', { error: e instanceof Error ? e.name : typeof e, code: e instanceof UserError ? e.code : '' });
    });
    return this.queue;
  }

  /** Resolves once every queued ledger change has been followed. */
  idle(): Promise<void> {
    return this.queue;
  }

  private async follow(eventId: string): Promise<void> {
    const e = this.ledger.event(eventId);
    if (!e) return;
    const now = e.at;
    if (e.type === 'reversal') {
      const orig = e.reverses ? this.ledger.event(e.reverses) : null;
      const who = orig?.member ? this.people.resolve(orig.member) : null;
      this.db
        .transaction(() => {
          // An undone referral voucher is open again and no longer counts; a reward already issued stays (and is in the log).
          const v = e.reverses ? this.referrals.voucherRedeemedBy(e.reverses) : null;
          if (v) {
            this.db.prepare('UPDATE crm_vouchers SET redeemed_event = NULL, redeemed_at = NULL, counted = 0 WHERE jti = ?').run(v.jti);
            this.people.log('welcome.redeemed', now, { person: v.person, other: v.referrer, jti: v.jti, event: e.id, data: { reversed: e.reverses } });
          }
          if (who) this.people.recompute(who.id);
        })
        .immediate();
      this.changed('reversal');
      return;
    }
    let rewardFor: string | null = null;
    let person: string | null = null;
    this.db
      .transaction(() => {
        const v = e.iss && e.jti ? this.referrals.voucher(e.jti) : null;
        if (v && v.iss === e.iss) {
          const r = this.referrals.onRedeemed(v, e.id, e.seq, now);
          person = r.person;
          rewardFor = r.rewardFor;
        } else if (e.member) {
          person = e.member;
        } else {
          const holder = this.db.prepare("SELECT holder FROM points_entries WHERE event_id = ? AND role = 'redeemer'").get(e.id) as { holder: string } | undefined;
          const byHolder = holder ? this.people.byHolder(holder.holder) : null;
          const counter = this.counterMember(Date.now());
          person = byHolder?.id ?? counter?.id ?? null;
          if (counter && person === counter.id) this.people.counter = null;
          if (counter && person === counter.id) this.changed('counter');
        }
        if (person && !(v && v.iss === e.iss)) this.linkSharers(e.id, person, now);
        if (person) {
          if (!e.member) this.people.attachEvent(e.id, person, now);
          this.people.recompute(this.people.resolve(person)?.id ?? person);
        }
      })
      .immediate();
    if (!person) return;
    if (rewardFor) await this.tryIssue(() => this.referrals.issueRewards(rewardFor!, now));
    // Reaching the threshold: welcome vouchers for the circle, when there is one.
    const m = this.people.resolve(person);
    if (m && m.member_since !== null) {
      const st = this.referrals.status(m.id);
      if (st.eligible && st.issued < st.maxWelcome) {
        await this.tryIssue(() => this.referrals.issueWelcome(m.id, undefined, now).then((x) => x.length));
      }
    }
    this.changed('redemption');
  }

  /** A shared voucher's earlier holders who are people here: "shared a voucher with" the redeemer. */
  private linkSharers(eventId: string, personId: string, at: number): void {
    const holders = this.db.prepare("SELECT holder FROM points_entries WHERE event_id = ? AND role = 'holder'").all(eventId) as { holder: string }[];
    const me = this.people.resolve(personId);
    if (!me || me.erased_at) return;
    for (const h of holders) {
      const other = this.people.byHolder(h.holder);
      if (other && !other.erased_at && other.id !== me.id) this.people.linkAdd(me.id, other.id, 'shared', at);
    }
  }

  private async tryIssue(fn: () => Promise<number>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      // A locked store or an empty circle: the owner issues them later from the member page.
      if (!(e instanceof UserError)) throw e;
      this.log.info('crm issue skipped', { code: e.code });
    }
  }
}
