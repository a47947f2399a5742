/**
 * At the counter: the member the next redemption goes on (picked by scanning
 * their member card, or by phone), and a way to clear it.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MemberRow } from '../../../preload/contract';
import { useApp } from '../context';
import { errorText } from '../i18n';

export function CounterMember() {
  const { api } = useApp();
  const { t } = useTranslation('crm');
  const [member, setMember] = useState<MemberRow | null>(null);
  const [phone, setPhone] = useState('');
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => api.call('crm.counterGet', {}).then((r) => setMember(r.member), () => undefined), [api]);
  useEffect(() => void load(), [load]);
  useEffect(() => api.on('crm.changed', () => void load()), [api, load]);
  useEffect(() => api.on('ledger.changed', () => void load()), [api, load]);

  const find = async () => {
    setError(null);
    try {
      const found = await api.call('crm.lookupPhone', { phone });
      if (!found[0]) {
        setError(t('counter.notFound'));
        return;
      }
      setMember((await api.call('crm.counterSelect', { memberId: found[0].id })).member);
      setPhone('');
      // Back to the scan field: the next thing the cashier does is scan the voucher.
      document.querySelector<HTMLInputElement>('[data-testid="scan-input"]')?.focus();
    } catch (e) {
      setError(errorText(t, e));
    }
  };
  return (
    <div className="crm-counter" data-testid="counter-member" data-id={member?.id ?? ''}>
      <span className="crm-counter__label">{t('counter.label')}</span>
      {member ? (
        <>
          <strong data-testid="counter-member-name">{member.name}</strong>
          <span className="muted">{t('counter.next', { name: member.name })}</span>
          <button type="button" className="button button--small button--ghost" onClick={() => void api.call('crm.counterSelect', { memberId: null }).then(load)} data-testid="counter-clear">
            {t('counter.clear')}
          </button>
        </>
      ) : (
        <span className="muted">{t('counter.none')}</span>
      )}
      <form
        className="crm-counter__find"
        onSubmit={(e) => {
          e.preventDefault();
          void find();
        }}
      >
        <input className="input input--compact" value={phone} onChange={(e) => setPhone(e.target.value)} placeholder={t('counter.phone')} inputMode="tel" data-testid="counter-phone" />
        <button type="submit" className="button button--small">
          {t('counter.find')}
        </button>
      </form>
      {error ? <span className="form-error">{error}</span> : null}
    </div>
  );
}

/** Scans a member card at the counter: selects the member; throws ApiError when it is no card of this shop. */
export async function selectByCard(api: ReturnType<typeof useApp>['api'], text: string): Promise<MemberRow> {
  return (await api.call('crm.counterScan', { text })).member;
}
