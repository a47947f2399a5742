/** Vouchers issued and not yet handed over: rewards first, then welcome vouchers; print, save, mark given. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ToGiveEntry } from '../../../preload/contract';
import { useApp } from '../context';
import { errorText } from '../i18n';
import { printVouchers, VoucherCard } from './VoucherCard';

export function ToGivePanel() {
  const { api } = useApp();
  const { t } = useTranslation('crm');
  const [list, setList] = useState<ToGiveEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => api.call('crm.toGive', {}).then(setList, (e: unknown) => setError(errorText(t, e))), [api, t]);
  useEffect(() => void load(), [load]);
  useEffect(() => api.on('crm.changed', () => void load()), [api, load]);
  return (
    <section className="panel" data-testid="crm-give" data-count={list?.length ?? -1}>
      <h2 className="panel__title">{t('give.title')}</h2>
      <p className="muted">{t('give.hint')}</p>
      {error ? <p className="form-error">{error}</p> : null}
      {list && list.length === 0 ? <p className="muted">{t('give.empty')}</p> : null}
      {list && list.length ? (
        <div className="button-row">
          <button type="button" className="button" onClick={() => printVouchers(false)}>
            {t('voucher.printAll')}
          </button>
          <button type="button" className="button" onClick={() => printVouchers(true)}>
            {t('voucher.sheet')}
          </button>
        </div>
      ) : null}
      <div className="crm-voucher-grid crm-print-area">
        {list?.map((v) => (
          <VoucherCard key={v.jti} v={v} memberName={v.memberName} onGiven={() => void api.call('crm.markGiven', { jti: v.jti }).then(load)} />
        ))}
      </div>
    </section>
  );
}
