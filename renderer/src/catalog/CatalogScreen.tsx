/**
 * The shop's local lists, for the admin: campaigns (stock, dates, hours),
 * products (names for SKUs), revocations, and the points rules of shared
 * vouchers. Reading needs nothing; every change asks for the admin passphrase.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CampaignsPanel } from './CampaignsPanel';
import { PointsPanel } from './PointsPanel';
import { ProductsPanel } from './ProductsPanel';
import { RevocationsPanel } from './RevocationsPanel';

const SECTIONS = ['campaigns', 'products', 'revocations', 'points'] as const;
type Section = (typeof SECTIONS)[number];

export function CatalogScreen() {
  const { t } = useTranslation('catalog');
  const [section, setSection] = useState<Section>('campaigns');
  return (
    <div className="catalog" data-testid="catalog-screen">
      <h1 className="screen-title">{t('title')}</h1>
      <nav className="subtabs" role="tablist" aria-label={t('title')}>
        {SECTIONS.map((s) => (
          <button
            key={s}
            type="button"
            role="tab"
            aria-selected={section === s}
            className={`subtab${section === s ? ' subtab--active' : ''}`}
            data-testid={`catalog-tab-${s}`}
            onClick={() => setSection(s)}
          >
            {t(`sections.${s}`)}
          </button>
        ))}
      </nav>
      {section === 'campaigns' ? <CampaignsPanel /> : null}
      {section === 'products' ? <ProductsPanel /> : null}
      {section === 'revocations' ? <RevocationsPanel /> : null}
      {section === 'points' ? <PointsPanel /> : null}
    </div>
  );
}
