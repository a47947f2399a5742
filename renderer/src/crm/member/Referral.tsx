/** A member's referral status and referral vouchers: issuing, printing, handing over. */
import { useTranslation } from 'react-i18next';
import type { MemberDetail } from '../../../../preload/contract';
import { useApp } from '../../context';
import { formatMoney } from '../../format';
import { printVouchers, VoucherCard } from '../VoucherCard';
import type { Run } from './run';

export function Referral({ d, run }: { d: MemberDetail; run: Run }) {
  const { api, language } = useApp();
  const { t } = useTranslation('crm');
  const st = d.referral;
  const open = st.vouchers.filter((v) => !v.redeemedAt);
  return (
    <div className="panel" data-testid="crm-referral" data-issued={st.issued} data-counted={st.counted} data-rewards={st.rewards}>
      <h2 className="panel__title">{t('referral.title')}</h2>
      {st.eligible ? (
        <p>{t('referral.eligible', { issued: st.issued, max: st.maxWelcome })}</p>
      ) : (
        <p className="muted">
          {t('referral.notEligible')}{' '}
          {st.missing.spend !== undefined ? t('referral.missingSpend', { amount: formatMoney(st.missing.spend, 'CNY', language) }) : null}
          {st.missing.spend !== undefined && st.missing.visits !== undefined ? ' / ' : null}
          {st.missing.visits !== undefined ? t('referral.missingVisits', { count: st.missing.visits }) : null}
        </p>
      )}
      <p>{t('referral.counted', { counted: st.counted, rewards: st.rewards, next: st.toNextReward })}</p>
      <div className="button-row">
        <button
          type="button"
          className="button button--primary"
          disabled={!st.eligible || st.issued >= st.maxWelcome}
          onClick={() => void run(async () => api.call('crm.referralIssue', { memberId: d.member.id }))}
          data-testid="crm-issue"
        >
          {t('referral.issue')}
        </button>
        {open.length ? (
          <>
            <button type="button" className="button" onClick={() => printVouchers(false)} data-testid="crm-print">
              {t('voucher.printAll')}
            </button>
            <button type="button" className="button" onClick={() => printVouchers(true)}>
              {t('voucher.sheet')}
            </button>
          </>
        ) : null}
      </div>
      <div className="crm-vouchers">
        {st.vouchers.map((v) => (
          <div key={v.jti} className="crm-voucher-row" data-testid="crm-referral-voucher" data-jti={v.jti} data-redeemed={v.redeemedAt ? '1' : '0'}>
            <span className="tag">{t(`voucher.${v.purpose}`)}</span> {v.personName || '—'} · {v.terms}
            {v.redeemedAt ? <span className="tag tag--muted">{t('circle.redeemed')}</span> : null}
          </div>
        ))}
      </div>
      {open.length ? (
        <details>
          <summary>{t('voucher.show')}</summary>
          <div className="crm-voucher-grid">
            {open.map((v) => (
              <VoucherCard key={v.jti} v={v} memberName={d.member.name} onGiven={() => void run(() => api.call('crm.markGiven', { jti: v.jti }))} />
            ))}
          </div>
        </details>
      ) : null}
    </div>
  );
}
