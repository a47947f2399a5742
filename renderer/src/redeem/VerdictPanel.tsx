/**
 * The large verdict: green for a redemption, red for a refusal (the reason in
 * plain words), amber when the cashier must act (PIN, units, amount). One
 * component for every voucher kind: items show units, gifts what to hand over,
 * stored value the amount taken, the balance and what the customer still pays,
 * a shared voucher its discount and the points credited. A double read of the
 * redemption just made here (`repeat`, decided by the core) stays green and says
 * "scanned twice".
 */
import { useLayoutEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { maskId, maskIds } from '../../../common/people/mask';
import type { PointsCredit, RedeemResult, VerifyResult, VoucherView } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { useApp } from '../context';
import { formatDateTime, formatMoney, formatWhen } from '../format';
import { errorText } from '../i18n';
import { campaignLeft, isPinLocked, toneOf, type Shown } from './flow';
import { SlipButton } from './SlipButton';

type T = ReturnType<typeof useTranslation>['t'];
interface Fact {
  key: string;
  text: string;
  strong?: boolean;
  testId?: string;
}

/** `idle` is what to show before the first scan (already translated). */
export function VerdictPanel({ shown, idle }: { shown: Shown | null; idle: string }) {
  const { t, i18n } = useTranslation('redeem');
  const locale = i18n.language;
  const seq = shown?.seq ?? 0;

  // Benchmarks read when the verdict reached the DOM.
  useLayoutEffect(() => {
    if (seq > 0) document.body.dataset.lastVerdictAt = String(performance.now());
  }, [seq]);

  if (!shown) {
    return (
      <section className="verdict verdict--idle" data-testid="verdict-idle">
        <div className="verdict__reason">{idle}</div>
      </section>
    );
  }

  if (shown.kind === 'error') {
    return (
      <section key={seq} className="verdict verdict--refused" data-testid="verdict" data-verdict="ERROR" data-error={shown.error.code} data-seq={seq} role="alert">
        <div className="verdict__icon" aria-hidden="true">
          !
        </div>
        <div className="verdict__body">
          <div className="verdict__label">{t('verdictPanel.failed')}</div>
          <div className="verdict__reason" data-testid="verdict-reason">
            {errorText(t, shown.error)}
          </div>
          <div className="verdict__time">{t('verdictPanel.checkedAt', { time: formatWhen(shown.at, locale) })}</div>
        </div>
      </section>
    );
  }

  if (shown.kind === 'asking' || shown.kind === 'cancelled') {
    const asking = shown.kind === 'asking';
    const v = shown.result.voucher;
    return (
      <section
        key={seq}
        className={`verdict ${asking ? 'verdict--attention' : 'verdict--neutral'}`}
        data-testid="verdict"
        data-verdict={asking ? 'ASKING' : 'CANCELLED'}
        data-seq={seq}
        role="status"
      >
        <div className="verdict__icon" aria-hidden="true">
          {asking ? '?' : '–'}
        </div>
        <div className="verdict__body">
          <div className="verdict__label">{asking ? t('verdictPanel.attention') : t('verdictPanel.notRedeemed')}</div>
          <div className="verdict__reason" data-testid="verdict-reason">
            {asking ? t(`verdictPanel.ask.${shown.ask}`) : t('verdictPanel.cancelled')}
          </div>
          <div className="verdict__product">{productName(v, t)}</div>
          <ul className="verdict__facts" data-testid="verdict-facts">
            {remainingFacts(shown.result, t, locale).map((f) => (
              <FactItem key={f.key} fact={f} />
            ))}
            {v ? <li className="verdict__serial">{t('verdictPanel.serial', { iss: maskIds(v.iss), jti: maskIds(v.jti) })}</li> : null}
          </ul>
          <div className="verdict__time">{t('verdictPanel.checkedAt', { time: formatWhen(shown.at, locale) })}</div>
        </div>
      </section>
    );
  }

  const { result } = shown;
  const tone = toneOf(result.verdict);
  const label = tone === 'ok' ? t('verdictPanel.accepted') : tone === 'attention' ? t('verdictPanel.attention') : t('verdictPanel.refused');
  const icon = tone === 'ok' ? '✓' : tone === 'attention' ? '?' : '✕';
  const v = result.voucher;
  const valid = result.verdict === 'VALID';
  const facts = valid ? redeemedFacts(result, t, locale) : refusalFacts(result, t, locale);
  const money = (minor: number) => formatMoney(minor, result.event?.cur ?? v?.cur ?? null, locale);
  const due = valid && result.due != null && result.due > 0 ? result.due : null;
  const perk = valid && result.discount?.perk ? result.discount : null;
  const kind = v?.kind ?? result.event?.kind ?? 'item';

  return (
    <section
      key={seq}
      className={`verdict verdict--${tone}`}
      data-testid="verdict"
      data-verdict={result.verdict}
      data-detail={result.detail && result.detail.reason !== 'revoked' ? result.detail.reason : undefined}
      data-seq={seq}
      data-repeat={result.repeat ? 'true' : undefined}
      role={tone === 'ok' ? 'status' : 'alert'}
    >
      <div className="verdict__icon" aria-hidden="true">
        {icon}
      </div>
      <div className="verdict__body">
        <div className="verdict__label">{label}</div>
        <div className="verdict__reason" data-testid="verdict-reason">
          {reasonText(result, t, locale)}
        </div>
        {valid ? (
          <div className={`verdict__product${kind === 'gift' ? ' verdict__product--handover' : ''}`} data-testid="verdict-product" data-kind={kind}>
            {headline(result, t, locale)}
          </div>
        ) : null}
        {result.repeat ? (
          <div className="verdict__repeat" data-testid="verdict-repeat">
            {t('verdictPanel.repeat')}
          </div>
        ) : null}
        {due !== null ? (
          <div className="verdict__callout verdict__callout--due" data-testid="verdict-due" data-amount={due}>
            {t('verdictPanel.due', { amount: money(due) })}
          </div>
        ) : null}
        {perk ? (
          <div className="verdict__callout" data-testid="verdict-discount" data-level={perk.level}>
            {t('verdictPanel.discount', { level: perk.level, perk: perk.perk })}
          </div>
        ) : null}
        <ul className="verdict__facts" data-testid="verdict-facts">
          {facts.map((f) => (
            <FactItem key={f.key} fact={f} />
          ))}
          {v ? <li className="verdict__serial">{t('verdictPanel.serial', { iss: maskIds(v.iss), jti: maskIds(v.jti) })}</li> : null}
        </ul>
        {valid && result.points?.length ? <PointsList credits={result.points} names={result.people?.holders} /> : null}
        {shown.note === 'pinCancelled' ? <p className="verdict__note">{t('verdictPanel.pinCancelled')}</p> : null}
        {isPinLocked(result) && v ? <PinUnlock voucher={v} /> : null}
        {valid && result.event ? <SlipButton eventId={result.event.id} /> : null}
        <div className="verdict__time">{t('verdictPanel.checkedAt', { time: formatWhen(shown.at, locale) })}</div>
      </div>
    </section>
  );
}

function FactItem({ fact }: { fact: Fact }) {
  return (
    <li className={fact.strong ? 'verdict__fact--strong' : undefined} data-testid={fact.testId}>
      {fact.text}
    </li>
  );
}

/** Points credited to the chain of a shared voucher: who, how many, the new total, and a level-up. */
function PointsList({ credits, names }: { credits: PointsCredit[]; names: Record<string, string> | undefined }) {
  const { t } = useTranslation('redeem');
  return (
    <div className="verdict__points" data-testid="verdict-points">
      <div className="verdict__points-title">{t('verdictPanel.pointsTitle')}</div>
      <ul>
        {credits.map((p, i) => (
          <li key={`${p.holder}-${i}`} data-testid="verdict-points-row" data-holder={p.holder} data-points={p.points} data-total={p.total}>
            {t('verdictPanel.points', { holder: names?.[p.holder] ?? maskId(p.holder), role: t(`verdictPanel.role.${p.role}`), points: p.points, total: p.total, level: p.level })}
            {p.levelChanged ? ' ' : null}
            {p.levelChanged ? (
              <span className="verdict__levelup" data-testid="verdict-levelup">
                {t('verdictPanel.levelUp', { level: p.level })}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function lastText(result: VerifyResult, t: T, locale: string): string | null {
  const last = result.last;
  if (!last) return null;
  const time = formatWhen(last.at, locale);
  const where = last.branch ? t('verdictPanel.whereBranch', { branch: last.branch, device: last.device }) : last.device;
  return last.cashier ? t('verdict.ALREADY_REDEEMED', { time, cashier: last.cashier, where }) : t('verdictPanel.alreadyNoCashier', { time, where });
}

/** The big words: what happened. Refusals say why, as specifically as the core told. */
function reasonText(result: RedeemResult, t: T, locale: string): string {
  if (isPinLocked(result)) return t('verdict.PIN_LOCKED');
  const d = result.detail;
  if (d?.reason === 'incompleteScan' || d?.reason === 'tooLong') return t(`verdictDetail.${d.reason}`);
  if (result.verdict === 'CAMPAIGN_CLOSED') {
    switch (d?.reason) {
      case 'outsideHours': {
        const hours = result.campaign?.hours;
        return hours ? t('verdictPanel.campaignClosed.outsideHoursAt', { hours: hours.replace(/,/g, ', ') }) : t('verdictPanel.campaignClosed.outsideHours');
      }
      case 'notStarted':
      case 'ended':
      case 'soldOut':
      case 'soldOutHere':
        return t(`verdictPanel.campaignClosed.${d.reason}`);
    }
  }
  if (result.verdict !== 'ALREADY_REDEEMED') return t(`verdict.${result.verdict}`);
  if (d?.reason === 'balanceUsedUp' || d?.reason === 'useCapReached') return t(`verdictDetail.${d.reason}`);
  return lastText(result, t, locale) ?? t('verdictPanel.alreadyPlain');
}

function productName(v: VoucherView | undefined, t: T): string {
  if (v?.product) return v.product;
  if (v?.sku) return v.sku;
  return v?.kind === 'value' ? t('verdictPanel.storedValue') : t('verdictPanel.unknownProduct');
}

/** What was redeemed, in the cashier's words: "Double hotpot set × 2", "Hand over: Tea gift box × 1", "¥12.50 paid from the balance". */
function headline(result: RedeemResult, t: T, locale: string): string {
  const v = result.voucher;
  const ev = result.event;
  const kind = v?.kind ?? ev?.kind ?? 'item';
  if (kind === 'value') {
    return ev?.amount != null ? t('verdictPanel.paid', { amount: formatMoney(ev.amount, ev.cur ?? v?.cur ?? null, locale) }) : productName(v, t);
  }
  const item = t('verdictPanel.productUnits', { product: productName(v, t), count: ev?.units ?? 1 });
  return kind === 'gift' ? t('verdictPanel.handOver', { product: item }) : item;
}

/** What is left on the voucher (units or balance) and its visits. */
function remainingFacts(result: VerifyResult, t: T, locale: string): Fact[] {
  const v = result.voucher;
  const r = result.remaining;
  const facts: Fact[] = [];
  if (!r) return facts;
  if (v?.kind === 'value') {
    const money = (minor: number) => formatMoney(minor, v.cur, locale);
    facts.push({
      key: 'left',
      testId: 'verdict-balance',
      text: r.left > 0 ? t('verdictPanel.balanceLeft', { left: money(r.left), face: money(r.face) }) : t('verdictPanel.balanceUsedUp'),
      strong: true,
    });
  } else {
    facts.push({ key: 'left', testId: 'verdict-left', text: r.left > 0 ? t('verdictPanel.unitsLeft', { left: r.left, face: r.face }) : t('verdictPanel.allUsed') });
  }
  if (r.usesLeft != null) facts.push({ key: 'uses', testId: 'verdict-uses', text: t('verdictPanel.usesLeft', { count: r.usesLeft }) });
  return facts;
}

/** A VALID redemption: what is left, the campaign, flags and the customer. */
function redeemedFacts(result: RedeemResult, t: T, locale: string): Fact[] {
  const v = result.voucher;
  const facts = remainingFacts(result, t, locale);
  if (v?.kind === 'value' && v.product) facts.push({ key: 'product', text: t('verdictPanel.product', { product: v.product }) });
  facts.push(...commonFacts(result, t));
  if (v?.sub) facts.push({ key: 'sub', testId: 'verdict-customer', text: t('verdictPanel.customer', { sub: result.people?.customer ?? maskId(v.sub) }) });
  // The member the redemption went on (picked at the counter), to confirm it was the right one.
  if (result.people?.member) facts.push({ key: 'member', testId: 'verdict-member', text: t('crm:onVerdict.member', { name: result.people.member }), strong: true });
  return facts;
}

/** A refusal: the core's detail in words, PIN tries or lock end, and which voucher it was. */
function refusalFacts(result: RedeemResult, t: T, locale: string): Fact[] {
  const v = result.voucher;
  const facts: Fact[] = [];
  if (result.verdict === 'PIN_WRONG' && !isPinLocked(result) && result.triesLeft != null) {
    facts.push({ key: 'tries', text: t('verdictPanel.triesLeft', { count: result.triesLeft }) });
  }
  const d = result.detail;
  if (d?.reason === 'locked') {
    facts.push({ key: 'lock', text: t('verdictPanel.lockedUntil', { time: formatWhen(d.until, locale) }), strong: true });
  }
  if (result.verdict === 'ALREADY_REDEEMED' && (d?.reason === 'balanceUsedUp' || d?.reason === 'useCapReached')) {
    const last = lastText(result, t, locale);
    if (last) facts.push({ key: 'last', text: last });
    if (d.reason === 'useCapReached' && result.remaining && v?.kind !== 'value') {
      facts.push({ key: 'left', text: t('verdictPanel.unitsUnusable', { left: result.remaining.left }) });
    }
  }
  const detail = detailText(result, t, locale);
  if (detail) facts.push({ key: 'detail', testId: 'verdict-detail', text: detail, strong: true });
  if (result.verdict === 'CLOCK_BEHIND') facts.push({ key: 'clockNow', text: t('verdictDetail.clockNow', { time: formatDateTime(Date.now(), locale) }) });
  facts.push(...commonFacts(result, t).filter((f) => f.key !== 'flag-unknownProduct'));
  if (v && (v.product || v.sku)) facts.push({ key: 'product', text: t('verdictPanel.product', { product: productName(v, t) }) });
  if (v?.sub) facts.push({ key: 'sub', testId: 'verdict-customer', text: t('verdictPanel.customer', { sub: result.people?.customer ?? maskId(v.sub) }) });
  return facts;
}

/** Campaign and flags, for any verdict. */
function commonFacts(result: VerifyResult, t: T): Fact[] {
  const facts: Fact[] = [];
  const c = result.campaign;
  if (c) {
    const left = campaignLeft(c);
    facts.push({
      key: 'campaign',
      testId: 'verdict-campaign',
      text: left !== null ? t('verdictPanel.campaignLeft', { name: c.name, left }) : t('verdictPanel.campaign', { name: c.name }),
    });
  }
  for (const flag of result.flags ?? []) {
    const text =
      flag === 'unknownCampaign'
        ? t('verdictPanel.flags.unknownCampaign', { cmp: result.voucher?.cmp ?? '' })
        : flag === 'unknownProduct'
          ? t('verdictPanel.flags.unknownProduct', { sku: result.voucher?.sku ?? '' })
          : flag;
    facts.push({ key: `flag-${flag}`, testId: `verdict-flag-${flag}`, text, strong: flag === 'unknownCampaign' });
  }
  return facts;
}

/**
 * The core's `detail` when the big words did not already say it: a revocation's reason,
 * the time the clock guard trusts, "nothing left" under "already redeemed at …".
 */
function detailText(result: RedeemResult, t: T, locale: string): string | null {
  const d = result.detail;
  switch (d?.reason) {
    case 'revoked':
      return d.note ? t('verdictDetail.revokedReason', { reason: d.note }) : null;
    case 'clockBehind':
      return t('verdictDetail.clockTrusted', { time: formatDateTime(d.trustedAt, locale) });
    case 'nothingLeft':
      return t('verdictDetail.nothingLeft');
    default:
      return null;
  }
}

/** Admin: forget the wrong PINs of a locked voucher on this workstation. */
function PinUnlock({ voucher }: { voucher: VoucherView }) {
  const { api } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation('redeem');
  const [state, setState] = useState<{ kind: 'idle' | 'busy' | 'done' } | { kind: 'error'; text: string }>({ kind: 'idle' });

  async function unlock() {
    setState({ kind: 'busy' });
    try {
      const done = await withAdmin(admin, (adminToken) => api.call('voucher.unlockPin', { adminToken, iss: voucher.iss, jti: voucher.jti }));
      setState(done ? { kind: 'done' } : { kind: 'idle' });
    } catch (e) {
      setState({ kind: 'error', text: errorText(t, e) });
    }
  }

  if (state.kind === 'done') return <p className="verdict__note">{t('verdictPanel.pinUnlocked')}</p>;
  return (
    <div className="verdict__actions">
      <button type="button" className="button button--small button--ghost" disabled={state.kind === 'busy'} onClick={() => void unlock()} data-testid="pin-unlock">
        {t('verdictPanel.unlockPin')}
      </button>
      {state.kind === 'error' ? <span className="verdict__note">{state.text}</span> : null}
    </div>
  );
}
