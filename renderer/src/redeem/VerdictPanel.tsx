/**
 * The large verdict: green for a redemption, red for a refusal (the reason in
 * plain words), amber when the cashier must act (PIN). One component for every
 * voucher kind: items and gifts show units, stored value shows amounts, a
 * shared voucher shows its discount and the points credited.
 */
import { useLayoutEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RedeemResult, VoucherView } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { useApp } from '../context';
import { formatDateTime, formatMoney, formatWhen } from '../format';
import { errorText } from '../i18n';
import { isPinLocked, toneOf, type Shown } from './flow';

type T = ReturnType<typeof useTranslation>['t'];
interface Fact {
  key: string;
  text: string;
  strong?: boolean;
}

/** `idle` is what to show before the first scan (already translated). */
export function VerdictPanel({ shown, idle }: { shown: Shown | null; idle: string }) {
  const { t, i18n } = useTranslation();
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

  const { result } = shown;
  const tone = toneOf(result.verdict);
  const label = tone === 'ok' ? t('verdictPanel.accepted') : tone === 'attention' ? t('verdictPanel.attention') : t('verdictPanel.refused');
  const icon = tone === 'ok' ? '✓' : tone === 'attention' ? '?' : '✕';
  const v = result.voucher;
  const facts = result.verdict === 'VALID' ? redeemedFacts(result, t, locale) : refusalFacts(result, t, locale);

  return (
    <section
      key={seq}
      className={`verdict verdict--${tone}`}
      data-testid="verdict"
      data-verdict={result.verdict}
      data-seq={seq}
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
        {result.verdict === 'VALID' ? (
          <div className="verdict__product" data-testid="verdict-product">
            {headline(result, t)}
          </div>
        ) : null}
        <ul className="verdict__facts" data-testid="verdict-facts">
          {facts.map((f) => (
            <li key={f.key} className={f.strong ? 'verdict__fact--strong' : undefined}>
              {f.text}
            </li>
          ))}
          {v ? <li className="verdict__serial">{t('verdictPanel.serial', { iss: v.iss, jti: v.jti })}</li> : null}
        </ul>
        {shown.note === 'pinCancelled' ? <p className="verdict__note">{t('verdictPanel.pinCancelled')}</p> : null}
        {isPinLocked(result) && v ? <PinUnlock voucher={v} /> : null}
        <div className="verdict__time">{t('verdictPanel.checkedAt', { time: formatWhen(shown.at, locale) })}</div>
      </div>
    </section>
  );
}

function reasonText(result: RedeemResult, t: T, locale: string): string {
  if (isPinLocked(result)) return t('verdict.PIN_LOCKED');
  if (result.verdict !== 'ALREADY_REDEEMED') return t(`verdict.${result.verdict}`);
  const last = result.last;
  if (!last) return t('verdictPanel.alreadyPlain');
  const time = formatWhen(last.at, locale);
  const where = last.branch ? t('verdictPanel.whereBranch', { branch: last.branch, device: last.device }) : last.device;
  return last.cashier
    ? t('verdict.ALREADY_REDEEMED', { time, cashier: last.cashier, where })
    : t('verdictPanel.alreadyNoCashier', { time, where });
}

function productName(v: VoucherView | undefined, t: T): string {
  return v?.product ?? v?.sku ?? t('verdictPanel.unknownProduct');
}

/** What was redeemed, in the cashier's words: "Double hotpot set × 2", "Hand over: Tea gift box × 1". */
function headline(result: RedeemResult, t: T): string {
  const v = result.voucher;
  const kind = v?.kind ?? result.event?.kind ?? 'item';
  if (kind === 'value') return productName(v, t);
  const item = t('verdictPanel.productUnits', { product: productName(v, t), count: result.event?.units ?? 1 });
  return kind === 'gift' ? t('verdictPanel.handOver', { product: item }) : item;
}

/** A VALID redemption: what it took, what is left, and what the cashier must also do. */
function redeemedFacts(result: RedeemResult, t: T, locale: string): Fact[] {
  const v = result.voucher;
  const ev = result.event;
  const kind = v?.kind ?? ev?.kind ?? 'item';
  const money = (minor: number) => formatMoney(minor, ev?.cur ?? v?.cur ?? null, locale);
  const facts: Fact[] = [];

  if (kind === 'value') {
    if (ev?.amount != null) facts.push({ key: 'paid', text: t('verdictPanel.paid', { amount: money(ev.amount) }) });
    if (result.due != null && result.due > 0) facts.push({ key: 'due', text: t('verdictPanel.due', { amount: money(result.due) }), strong: true });
  }
  const r = result.remaining;
  if (r) {
    if (kind === 'value') {
      facts.push({
        key: 'left',
        text: r.left > 0 ? t('verdictPanel.balanceLeft', { left: money(r.left), face: money(r.face) }) : t('verdictPanel.balanceUsedUp'),
      });
    } else {
      facts.push({ key: 'left', text: r.left > 0 ? t('verdictPanel.unitsLeft', { left: r.left, face: r.face }) : t('verdictPanel.allUsed') });
    }
    if (r.usesLeft != null) facts.push({ key: 'uses', text: t('verdictPanel.usesLeft', { count: r.usesLeft }) });
  }
  if (result.discount) {
    facts.push({ key: 'discount', text: t('verdictPanel.discount', { level: result.discount.level, perk: result.discount.perk }), strong: true });
  }
  for (const [i, p] of (result.points ?? []).entries()) {
    facts.push({ key: `points-${i}`, text: t('verdictPanel.points', { holder: p.holder, points: p.points, total: p.total, level: p.level }) });
    if (p.levelChanged) facts.push({ key: `level-${i}`, text: t('verdictPanel.levelUp', { holder: p.holder, level: p.level }), strong: true });
  }
  facts.push(...commonFacts(result, t));
  if (v?.sub) facts.push({ key: 'sub', text: t('verdictPanel.customer', { sub: v.sub }) });
  return facts;
}

/** A refusal: the core's detail in words, PIN tries or lock end, and which voucher it was. */
function refusalFacts(result: RedeemResult, t: T, locale: string): Fact[] {
  const v = result.voucher;
  const facts: Fact[] = [];
  if (result.verdict === 'PIN_WRONG' && !isPinLocked(result) && result.triesLeft != null) {
    facts.push({ key: 'tries', text: t('verdictPanel.triesLeft', { count: result.triesLeft }) });
  }
  if (result.lockedUntil != null) {
    facts.push({ key: 'lock', text: t('verdictPanel.lockedUntil', { time: formatWhen(result.lockedUntil, locale) }), strong: true });
  }
  const detail = detailText(result, t, locale);
  if (detail) facts.push({ key: 'detail', text: detail, strong: true });
  facts.push(...commonFacts(result, t).filter((f) => f.key !== 'flag-unknownProduct'));
  if (v && (v.product || v.sku)) facts.push({ key: 'product', text: t('verdictPanel.product', { product: productName(v, t) }) });
  if (v?.sub) facts.push({ key: 'sub', text: t('verdictPanel.customer', { sub: v.sub }) });
  return facts;
}

/** Campaign and flags, for any verdict. */
function commonFacts(result: RedeemResult, t: T): Fact[] {
  const facts: Fact[] = [];
  const c = result.campaign;
  if (c) {
    facts.push({
      key: 'campaign',
      text: c.stock != null ? t('verdictPanel.campaignLeft', { name: c.name, left: Math.max(0, c.stock - c.used) }) : t('verdictPanel.campaign', { name: c.name }),
    });
  }
  for (const flag of result.flags ?? []) {
    const key = `verdictPanel.flags.${flag}`;
    facts.push({
      key: `flag-${flag}`,
      text: flag === 'unknownProduct' || flag === 'unknownCampaign' ? t(key, { cmp: result.voucher?.cmp ?? '' }) : flag,
    });
  }
  return facts;
}

const DETAIL_CODES = ['nothingLeft', 'balanceUsedUp', 'useCapReached', 'notStarted', 'ended', 'outsideHours', 'soldOut'] as const;

/** The core's `detail`: a code for some verdicts, the issuer's words for a revocation, a time for the clock guard. */
function detailText(result: RedeemResult, t: T, locale: string): string | null {
  const d = result.detail;
  if (!d || d === 'locked') return null;
  if ((DETAIL_CODES as readonly string[]).includes(d)) return t(`verdictDetail.${d}`);
  if (result.verdict === 'REVOKED') return t('verdictDetail.revokedReason', { reason: d });
  if (result.verdict === 'CLOCK_BEHIND') {
    const ms = Date.parse(d);
    if (!Number.isNaN(ms)) return t('verdictDetail.clockTrusted', { time: formatDateTime(ms, locale) });
  }
  return d;
}

/** Admin: forget the wrong PINs of a locked voucher on this workstation. */
function PinUnlock({ voucher }: { voucher: VoucherView }) {
  const { api } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation();
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
