/** Merchant and branch, key store state, the screens and the language. */
import { useTranslation } from 'react-i18next';
import { useApp, type Tab } from '../context';
import { errorText } from '../i18n';
import { LanguageSelect } from './LanguageSelect';
import { SyncBadge } from '../sync/SyncBadge';
import { SignedInChip } from '../staff/SignedInChip';
import { signInNeeded, useOwnerAtWork, useStaffState } from '../staff/store';
import { HelpButton } from '../help/HelpButton';

/** In this order, Alt+1 … Alt+9 (App.tsx). */
export const TABS: Tab[] = ['redeem', 'catalog', 'keys', 'settings', 'members', 'sync', 'shift', 'reports', 'staff'];

export function TopBar({ tab, onTab, onError }: { tab: Tab; onTab(tab: Tab): void; onError(text: string): void }) {
  const { info, api, refreshInfo } = useApp();
  const { t } = useTranslation('app');
  const signingIn = signInNeeded(useStaffState(), useOwnerAtWork());
  const merchant = info.merchant ? [info.merchant.name || info.merchant.id, info.branch?.name].filter(Boolean).join(' · ') : t('header.noMerchant');

  async function lock() {
    try {
      await api.call('keystore.lock', {});
      await refreshInfo();
    } catch (e) {
      onError(errorText(t, e));
    }
  }

  return (
    <header className="topbar">
      <div className="topbar__brand">
        <span className="topbar__app">{t('title')}</span>
        <span className="topbar__merchant" data-testid="merchant-label" title={merchant}>
          {merchant}
        </span>
      </div>
      <nav className="tabs" role="tablist" aria-label={t('tabs.label')} hidden={signingIn}>
        {TABS.map((name, i) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            className={`tab${tab === name ? ' tab--active' : ''}`}
            data-testid={`tab-${name}`}
            title={`Alt+${i + 1}`}
            onClick={() => onTab(name)}
          >
            {t(`tabs.${name}`)}
          </button>
        ))}
      </nav>
      <div className="topbar__status">
        <SignedInChip onError={onError} />
        <SyncBadge />
        <span className={`badge badge--${info.keystore}`} data-testid="keystore-state" data-state={info.keystore}>
          {t(`header.keystore.${info.keystore}`)}
        </span>
        {info.keystore === 'unlocked' && info.protector === 'passphrase' ? (
          <button type="button" className="button button--small button--ghost" title={t('header.lockHint')} onClick={() => void lock()} data-testid="lock">
            {t('header.lock')}
          </button>
        ) : null}
        <LanguageSelect testId="lang" className="input input--compact" />
        <HelpButton />
      </div>
    </header>
  );
}
