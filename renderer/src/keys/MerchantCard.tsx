/** The merchant this workstation belongs to: id, name, branch, accepted platforms, key protection. */
import { useTranslation } from 'react-i18next';
import type { KeystoreView } from '../../../preload/contract';

export function MerchantCard({ view }: { view: KeystoreView }) {
  const { t } = useTranslation('keys');
  return (
    <section className="panel" data-testid="merchant">
      <h2 className="panel__title">{t('merchant.title')}</h2>
      {view.merchant ? (
        <dl className="facts">
          <dt>{t('merchant.id')}</dt>
          <dd data-testid="merchant-id">{view.merchant.id}</dd>
          <dt>{t('merchant.name')}</dt>
          <dd data-testid="merchant-name">{view.merchant.name}</dd>
          <dt>{t('merchant.branch')}</dt>
          <dd>{view.branch ? `${view.branch.name} (${view.branch.id})` : '—'}</dd>
          <dt>{t('merchant.issuers')}</dt>
          <dd>
            {view.issuers.length === 0
              ? t('merchant.noIssuers')
              : view.issuers.map((i) => (
                  <span key={i.iss} className="tag">
                    {i.name ? `${i.name} (${i.iss})` : i.iss}
                  </span>
                ))}
          </dd>
          <dt>{t('merchant.protector')}</dt>
          <dd>{t(`protector.${view.protector}`)}</dd>
        </dl>
      ) : (
        <p className="muted">{t('merchant.none')}</p>
      )}
    </section>
  );
}
