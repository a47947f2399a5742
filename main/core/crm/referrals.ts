import type {
  GraphData,
  IssuedVoucher,
  ReferralReport,
  ReferralRules,
  ReferralStatus,
  ReferralVoucherView,
  ToGiveEntry,
  VoucherTerms,
} from '../../../preload/api/crm';
import type { Db } from '../db/open';
import { UserError } from '../errors';
import type { Logger } from '../log';
import type { Settings } from '../settings';
import type { People, PersonRow } from './crm';
import type { MerchantTokens } from './tokens';
import { workstationLanguage, type Language } from '../language';

export const DEFAULT_REFERRAL_RULES: ReferralRules = {
  enabled: true,
  spend: 50_000,
  visits: 5,
  welcomeCount: 3,
  welcome: { kind: 'item', qty: 1, validDays: 30, label: 'Welcome drink' },
  rewardAfter: 2,
  reward: { kind: 'value', val: 2_000, cur: 'CNY', validDays: 60, label: 'Thank-you voucher' },
};

/** The default rules with their labels in the workstation's language (they are printed on the vouchers). */
export function defaultReferralRules(language: Language): ReferralRules {
  if (language === 'en') return DEFAULT_REFERRAL_RULES;
  const r = DEFAULT_REFERRAL_RULES;
  return { ...r, welcome: { ...r.welcome, label: '欢迎饮品' }, reward: { ...r.reward, label: '感谢券' } };
}

interface VoucherRow {
  jti: string;
  iss: string;
  purpose: 'welcome' | 'reward';
  person: string;
  referrer: string | null;
  phone_norm: string | null;
  email_norm: string | null;
  token: string;
  terms: string;
  issued_at: number;
  exp: number | null;
  given_at: number | null;
  redeemed_event: string | null;
  redeemed_at: number | null;
  counted: number;
}

const DAY = 86_400;

function termsText(t: VoucherTerms): string {
  if (t.label) return t.label;
  if (t.kind === 'value') return `${((t.val ?? 0) / 100).toFixed(2)} ${t.cur}`;
  return `${t.qty ?? 1} × ${t.sku ?? t.kind}`;
}

function claimsOfTerms(t: VoucherTerms): Record<string, unknown> {
  const c: Record<string, unknown> = { knd: t.kind };
  if (t.sku) c.sku = t.sku;
  if (t.kind === 'value') Object.assign(c, { val: t.val, cur: t.cur });
  else c.qty = t.qty ?? 1;
  return c;
}

/**
 * The referral loop: eligible members get welcome vouchers for people in their
 * circle; a welcome voucher redeemed on the referee's first visit counts; every
 * `rewardAfter` counted redemptions earn the member a reward voucher. Every step
 * is a crm_events row.
 */
export class Referrals {
  constructor(
    private readonly db: Db,
    private readonly settings: Settings,
    private readonly people: People,
    private readonly tokens: MerchantTokens,
    private readonly log: Logger,
  ) {}

  rules(): ReferralRules {
    return this.settings.getJson<ReferralRules>('crm.referral') ?? defaultReferralRules(workstationLanguage(this.settings));
  }

  setRules(r: ReferralRules): ReferralRules {
    if (r.spend === null && r.visits === null) throw new UserError('crm.ruleNeedsTrigger', 'Set a spend amount or a number of visits (or both).');
    this.settings.setJson('crm.referral', r);
    return this.rules();
  }

  voucher(jti: string): VoucherRow | null {
    return (this.db.prepare('SELECT * FROM crm_vouchers WHERE jti = ?').get(jti) as VoucherRow | undefined) ?? null;
  }

  voucherRedeemedBy(eventId: string): VoucherRow | null {
    return (this.db.prepare('SELECT * FROM crm_vouchers WHERE redeemed_event = ?').get(eventId) as VoucherRow | undefined) ?? null;
  }

  view(v: VoucherRow): ReferralVoucherView {
    const p = this.people.row(v.person);
    return {
      jti: v.jti,
      purpose: v.purpose,
      personId: v.person,
      personName: p?.name ?? '',
      referrerId: v.referrer,
      issuedAt: v.issued_at,
      exp: v.exp,
      givenAt: v.given_at,
      redeemedAt: v.redeemed_at,
      counted: v.counted === 1,
      terms: v.terms,
    };
  }

  welcomeOf(personId: string): ReferralVoucherView | null {
    const v = this.db.prepare("SELECT * FROM crm_vouchers WHERE person = ? AND purpose = 'welcome'").get(personId) as VoucherRow | undefined;
    return v ? this.view(v) : null;
  }

  status(memberId: string): ReferralStatus {
    const m = this.people.need(memberId);
    const r = this.rules();
    const mine = this.db.prepare('SELECT * FROM crm_vouchers WHERE referrer = ? OR (person = ? AND purpose = \'reward\') ORDER BY issued_at, jti').all(m.id, m.id) as VoucherRow[];
    const welcome = mine.filter((v) => v.purpose === 'welcome' && v.referrer === m.id);
    const rewards = mine.filter((v) => v.purpose === 'reward').length;
    const counted = welcome.filter((v) => v.counted).length;
    const missing: ReferralStatus['missing'] = {};
    const bySpend = r.spend !== null && m.spend >= r.spend;
    const byVisits = r.visits !== null && m.visits >= r.visits;
    if (!bySpend && r.spend !== null) missing.spend = r.spend - m.spend;
    if (!byVisits && r.visits !== null) missing.visits = r.visits - m.visits;
    const eligible = r.enabled && m.member_since !== null && (bySpend || byVisits);
    return {
      eligible,
      missing: eligible ? {} : missing,
      issued: welcome.length,
      maxWelcome: r.welcomeCount,
      redeemed: welcome.filter((v) => v.redeemed_event).length,
      counted,
      rewards,
      toNextReward: r.rewardAfter - (counted - rewards * r.rewardAfter),
      vouchers: mine.map((v) => this.view(v)),
    };
  }

  /** Why this person cannot get a welcome voucher from this member, or null. */
  private refusal(member: PersonRow, p: PersonRow): UserError | null {
    if (p.id === member.id || (p.phone_norm && p.phone_norm === member.phone_norm) || (p.email_norm && p.email_norm === member.email_norm)) {
      return new UserError('crm.selfReferral', 'A member cannot refer themself.');
    }
    const prior = this.db
      .prepare("SELECT 1 FROM crm_vouchers WHERE purpose = 'welcome' AND (person = ? OR phone_norm = ? OR email_norm = ?)")
      .get(p.id, p.phone_norm ?? '\u0000', p.email_norm ?? '\u0000');
    if (prior) return new UserError('crm.alreadyWelcomed', 'This person already has a welcome voucher.', { name: p.name });
    if (p.member_since !== null && p.visits > 0) return new UserError('crm.alreadyCustomer', 'This person is already a customer: welcome vouchers are for new people.', { name: p.name });
    return null;
  }

  /** Issues welcome vouchers in the member's name: to the people given, or to the first people in their circle. */
  async issueWelcome(memberId: string, personIds: string[] | undefined, nowMs: number): Promise<IssuedVoucher[]> {
    const r = this.rules();
    if (!r.enabled) throw new UserError('crm.referralsOff', 'Referral vouchers are turned off in the referral rules.');
    const m = this.people.need(memberId);
    const st = this.status(m.id);
    if (!st.eligible) throw new UserError('crm.notEligible', 'This member has not reached the referral threshold yet.', { ...st.missing });
    const left = r.welcomeCount - st.issued;
    let targets: PersonRow[];
    if (personIds) {
      if (new Set(personIds).size !== personIds.length) throw new UserError('crm.alreadyWelcomed', 'This person already has a welcome voucher.', { name: '' });
      targets = personIds.map((id) => this.people.need(id));
      for (const p of targets) {
        const why = this.refusal(m, p);
        if (why) throw why;
      }
      if (personIds.length > left) throw new UserError('crm.noWelcomeLeft', 'This member has no welcome vouchers left.', { max: r.welcomeCount });
    } else {
      if (left <= 0) throw new UserError('crm.noWelcomeLeft', 'This member has no welcome vouchers left.', { max: r.welcomeCount });
      targets = [];
      for (const l of this.people.links(m.id)) {
        if (targets.length >= left) break;
        if (l.kind === 'referred_by' && l.a === m.id) continue; // not the one who brought them
        const p = this.people.row(l.a === m.id ? l.b : l.a);
        if (!p || p.erased_at || p.merged_into || targets.some((t) => t.id === p.id) || this.refusal(m, p)) continue;
        targets.push(p);
      }
      if (targets.length === 0) throw new UserError('crm.emptyCircle', 'Add friends or family to this member first: welcome vouchers go to people in their circle.');
    }
    this.tokens.check();
    const iss = this.tokens.issuer();
    const mid = this.tokens.merchantId();
    const iat = Math.floor(nowMs / 1000);
    const exp = iat + r.welcome.validDays * DAY;
    const made: { p: PersonRow; jti: string; text: string }[] = [];
    for (const p of targets) {
      const jti = `wl-${this.people.nextId(nowMs)}`;
      const text = await this.tokens.mint({ iss, jti, mid, ...claimsOfTerms(r.welcome), sub: p.id, ref: [m.id], iat, exp, vdm: 'welcome' });
      made.push({ p, jti, text });
    }
    const terms = termsText(r.welcome);
    this.db.transaction(() => {
      for (const x of made) {
        const why = this.refusal(m, this.people.row(x.p.id)!);
        if (why) throw why; // someone else issued in between: nothing of this call is written
        this.db
          .prepare(
            `INSERT INTO crm_vouchers (jti, iss, purpose, person, referrer, phone_norm, email_norm, token, terms, issued_at, exp)
             VALUES (?, ?, 'welcome', ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(x.jti, iss, x.p.id, m.id, x.p.phone_norm, x.p.email_norm, x.text, terms, nowMs, exp);
        this.people.log('welcome.issued', nowMs, { person: x.p.id, other: m.id, jti: x.jti });
      }
    }).immediate();
    this.log.info('welcome vouchers issued', { count: made.length });
    return made.map((x) => ({ ...this.view(this.voucher(x.jti)!), text: x.text }));
  }

  /**
   * A redemption of one of our vouchers: a welcome voucher makes the referee a
   * member linked to the referrer and may earn the referrer a reward. Returns
   * the person the redemption belongs to, and rewards to mint.
   */
  onRedeemed(v: VoucherRow, eventId: string, eventSeq: number, at: number): { person: string; rewardFor: string | null } {
    const person = this.people.resolve(v.person);
    if (!person) return { person: v.person, rewardFor: null };
    if (v.redeemed_event) return { person: person.id, rewardFor: null }; // a second use of a multi-use voucher
    if (v.purpose === 'reward') {
      this.db.prepare('UPDATE crm_vouchers SET redeemed_event = ?, redeemed_at = ? WHERE jti = ?').run(eventId, at, v.jti);
      return { person: person.id, rewardFor: null };
    }
    const before = this.people.figures(this.people.historyIds(person.id), eventSeq);
    const first = before.visits === 0;
    this.db.prepare('UPDATE crm_vouchers SET redeemed_event = ?, redeemed_at = ?, counted = ? WHERE jti = ?').run(eventId, at, first ? 1 : 0, v.jti);
    if (person.member_since === null) {
      this.people.makeMember(person.id, at);
      this.people.log('member.added', at, { person: person.id, data: { member: true, via: 'welcome' } });
    }
    const referrer = v.referrer ? this.people.resolve(v.referrer) : null;
    if (referrer && referrer.id !== person.id) this.people.linkAdd(person.id, referrer.id, 'referred_by', at);
    this.people.log('welcome.redeemed', at, { person: person.id, other: referrer?.id ?? null, jti: v.jti, event: eventId, data: { firstVisit: first } });
    return { person: person.id, rewardFor: first && referrer ? referrer.id : null };
  }

  /** Rewards the member has earned and not yet got; deterministic jtis make a second run harmless. */
  async issueRewards(memberId: string, nowMs: number): Promise<number> {
    const r = this.rules();
    const m = this.people.resolve(memberId);
    if (!m || m.erased_at) return 0;
    const counted = (this.db.prepare("SELECT count(*) AS n FROM crm_vouchers WHERE referrer = ? AND purpose = 'welcome' AND counted = 1").get(m.id) as { n: number }).n;
    const due = Math.floor(counted / r.rewardAfter);
    let made = 0;
    for (let k = 1; k <= due; k++) {
      const jti = `rw-${m.id}-${k}`;
      if (this.voucher(jti)) continue;
      const iss = this.tokens.issuer();
      const mid = this.tokens.merchantId();
      const iat = Math.floor(nowMs / 1000);
      const exp = iat + r.reward.validDays * DAY;
      const text = await this.tokens.mint({ iss, jti, mid, ...claimsOfTerms(r.reward), sub: m.id, iat, exp, vdm: 'reward' });
      this.db.transaction(() => {
        const n = this.db
          .prepare(
            `INSERT INTO crm_vouchers (jti, iss, purpose, person, referrer, token, terms, issued_at, exp) VALUES (?, ?, 'reward', ?, NULL, ?, ?, ?, ?)
             ON CONFLICT(jti) DO NOTHING`,
          )
          .run(jti, iss, m.id, text, termsText(r.reward), nowMs, exp).changes;
        if (n) this.people.log('reward.issued', nowMs, { person: m.id, jti });
        made += n;
      }).immediate();
    }
    return made;
  }

  toGive(): ToGiveEntry[] {
    const rows = this.db.prepare('SELECT * FROM crm_vouchers WHERE given_at IS NULL AND redeemed_event IS NULL ORDER BY purpose DESC, issued_at, jti').all() as VoucherRow[];
    return rows.map((v) => {
      const forWhom = this.people.row(v.purpose === 'reward' ? v.person : (v.referrer ?? v.person));
      return { ...this.view(v), memberName: forWhom?.name ?? '' };
    });
  }

  markGiven(jti: string, at: number): void {
    const v = this.voucher(jti);
    if (!v) throw new UserError('crm.unknownVoucher', 'There is no such referral voucher.');
    this.db.transaction(() => {
      this.db.prepare('UPDATE crm_vouchers SET given_at = ? WHERE jti = ? AND given_at IS NULL').run(at, jti);
      this.people.log('voucher.given', at, { person: v.person, jti });
    })();
  }

  text(jti: string): string {
    const v = this.voucher(jti);
    if (!v) throw new UserError('crm.unknownVoucher', 'There is no such referral voucher.');
    return v.token;
  }

  graph(): GraphData {
    const links = this.db
      .prepare("SELECT a, b, kind FROM crm_links WHERE kind IN ('referred_by', 'shared')")
      .all() as { a: string; b: string; kind: string }[];
    const invited = this.db
      .prepare("SELECT person AS a, referrer AS b FROM crm_vouchers WHERE purpose = 'welcome' AND redeemed_event IS NULL AND referrer IS NOT NULL")
      .all() as { a: string; b: string }[];
    const edges: GraphData['edges'] = [];
    const ids = new Set<string>();
    const parent = new Map<string, string>();
    for (const l of links) {
      ids.add(l.a);
      ids.add(l.b);
      if (l.kind === 'referred_by') {
        edges.push({ source: l.b, target: l.a, kind: 'referred' });
        parent.set(l.a, l.b);
      } else edges.push({ source: l.a, target: l.b, kind: 'shared' });
    }
    for (const l of invited) {
      ids.add(l.a);
      ids.add(l.b);
      edges.push({ source: l.b, target: l.a, kind: 'invited' });
    }
    const gen = (id: string): number => {
      let g = 0;
      const seen = new Set<string>();
      for (let p = parent.get(id); p && !seen.has(p) && g < 100; p = parent.get(p)) {
        seen.add(p);
        g++;
      }
      return g;
    };
    const rows = this.db
      .prepare('SELECT id, name, spend, member_since, erased_at FROM crm_people WHERE id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify([...ids])) as { id: string; name: string; spend: number; member_since: number | null; erased_at: number | null }[];
    return {
      nodes: rows.map((r) => ({ id: r.id, label: r.erased_at ? '—' : r.name, gen: gen(r.id), spend: r.spend, member: r.member_since !== null })),
      edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
    };
  }

  report(): ReferralReport {
    const perMember = (
      this.db
        .prepare(
          `SELECT v.referrer AS id, p.name AS name, count(*) AS issued, count(v.redeemed_event) AS redeemed
             FROM crm_vouchers v LEFT JOIN crm_people p ON p.id = v.referrer
            WHERE v.purpose = 'welcome' GROUP BY v.referrer ORDER BY redeemed DESC, issued DESC LIMIT 200`,
        )
        .all() as { id: string; name: string | null; issued: number; redeemed: number }[]
    ).map((r) => ({ id: r.id, name: r.name ?? '', issued: r.issued, redeemed: r.redeemed, conversion: r.issued ? r.redeemed / r.issued : 0 }));
    const months = new Map<string, { issued: number; redeemed: number }>();
    const month = (ms: number) => new Date(ms).toISOString().slice(0, 7);
    for (const v of this.db.prepare("SELECT issued_at, redeemed_at FROM crm_vouchers WHERE purpose = 'welcome'").all() as { issued_at: number; redeemed_at: number | null }[]) {
      const a = months.get(month(v.issued_at)) ?? { issued: 0, redeemed: 0 };
      a.issued++;
      months.set(month(v.issued_at), a);
      if (v.redeemed_at) {
        const b = months.get(month(v.redeemed_at)) ?? { issued: 0, redeemed: 0 };
        b.redeemed++;
        months.set(month(v.redeemed_at), b);
      }
    }
    const perMonth = [...months.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([m, x]) => ({ month: m, ...x, conversion: x.issued ? x.redeemed / x.issued : 0 }));
    const t = this.db
      .prepare("SELECT sum(purpose = 'welcome') AS issued, sum(purpose = 'welcome' AND redeemed_event IS NOT NULL) AS redeemed, sum(purpose = 'reward') AS rewards FROM crm_vouchers")
      .get() as { issued: number | null; redeemed: number | null; rewards: number | null };
    const issued = t.issued ?? 0;
    const redeemed = t.redeemed ?? 0;
    return { perMember, perMonth, totals: { issued, redeemed, rewards: t.rewards ?? 0, conversion: issued ? redeemed / issued : 0 } };
  }
}
