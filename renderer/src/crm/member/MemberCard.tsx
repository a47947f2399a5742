/** A member's card: the QR code the counter scans to pick the member. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAction } from '../../components/useAction';
import { useApp } from '../../context';
import { saveUrl } from '../../components/download';
import { qrDataUrl } from '../qr';

export function MemberCard({ id }: { id: string }) {
  const { api } = useApp();
  const { t } = useTranslation('crm');
  const [url, setUrl] = useState<string | null>(null);
  const { error, run } = useAction();
  const show = () => run(async () => setUrl(await qrDataUrl((await api.call('crm.cardToken', { memberId: id })).text, 280)));
  return (
    <div className="panel">
      <h2 className="panel__title">{t('member.card')}</h2>
      <p className="muted">{t('member.cardHint')}</p>
      {url ? (
        <>
          <img src={url} alt={t('member.card')} className="crm-voucher__qr" data-testid="crm-card-qr" />
          <button type="button" className="button button--small" onClick={() => saveUrl(url, `member-card-${id}.png`)}>
            {t('voucher.save')}
          </button>
        </>
      ) : (
        <button type="button" className="button" onClick={() => void show()} data-testid="crm-card">
          {t('voucher.show')}
        </button>
      )}
      {error ? <p className="form-error">{error}</p> : null}
    </div>
  );
}
