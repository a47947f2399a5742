/** One member: details, circle, referral status and vouchers, points, history, card, erasure. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MemberDetail } from '../../../preload/contract';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { formatDateTime, formatMoney, formatWhen } from '../format';
import { errorText } from '../i18n';
import { Circle } from './member/Circle';
import { Details } from './member/Details';
import { Duplicates } from './member/Duplicates';
import { History } from './member/History';
import { MemberCard } from './member/MemberCard';
import { Referral } from './member/Referral';
import type { Run } from './member/run';
import { VoucherCard } from './VoucherCard';

export function MemberPage({ id, onOpen, onBack }: { id: string; onOpen(id: string): void; onBack(): void }) {
  const { api, language } = useApp();
  const { t } = useTranslation('crm');
  const [d, setD] = useState<MemberDetail | null>(null);
  const { error, setError, run: act } = useAction();
  const [note, setNote] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setD(await api.call('crm.memberGet', { id }));
      setError(null);
    } catch (e) {
      setError(errorText(t, e));
    }
  }, [api, id, t, setError]);
  useEffect(() => void load(), [load]);
  useEffect(() => api.on('crm.changed', () => void load()), [api, load]);

  const run: Run = (fn, done) =>
    act(async () => {
      setNote(null);
      await fn();
      if (done) setNote(done);
      await load();
    });

  if (!d) return <section className="panel">{error ? <p className="form-error">{error}</p> : <p className="muted">…</p>}</section>;
  const m = d.member;
  const st = d.referral;
  return (
    <section className="crm-member" data-testid="crm-member" data-id={m.id}>
      <button type="button" className="button button--ghost button--small" onClick={onBack} data-testid="crm-back">
        {t('member.back')}
      </button>
      <div className="panel crm-member__head">
        <div>
          <h1 className="screen-title" data-testid="crm-member-name">
            {m.name}
          </h1>
          <p className="muted">
            {m.memberSince ? t('member.since', { date: formatDateTime(m.memberSince, language) }) : t('member.contact')}
            {' · '}
            {t('member.level', { level: m.level })}
          </p>
        </div>
        <dl className="crm-figures">
          <div>
            <dt>{t('member.visits')}</dt>
            <dd data-testid="crm-visits">{m.visits}</dd>
          </div>
          <div>
            <dt>{t('member.spend')}</dt>
            <dd data-testid="crm-spend">{formatMoney(m.spend, 'CNY', language)}</dd>
          </div>
          <div>
            <dt>{t('member.lastVisit')}</dt>
            <dd>{m.lastVisit ? formatWhen(m.lastVisit, language) : '—'}</dd>
          </div>
          <div>
            <dt>{t('member.points')}</dt>
            <dd data-testid="crm-points">{m.points}</dd>
          </div>
        </dl>
      </div>
      {error ? <p className="form-error" role="alert" data-testid="crm-member-error">{error}</p> : null}
      {note ? <p className="notice notice--ok" data-testid="crm-member-note">{note}</p> : null}
      <div className="crm-columns">
        <div>
          <Circle d={d} onOpen={onOpen} run={run} />
          <Referral d={d} run={run} />
        </div>
        <div>
          <Details d={d} run={run} />
          <Duplicates d={d} run={run} />
          <MemberCard id={m.id} />
          <History d={d} />
        </div>
      </div>
      {st.vouchers.length ? (
        <div className="crm-print-area crm-print-only" aria-hidden>
          {st.vouchers.filter((v) => !v.redeemedAt).map((v) => (
            <VoucherCard key={v.jti} v={v} memberName={m.name} />
          ))}
        </div>
      ) : null}
    </section>
  );
}
