/** The whole window: loads the workstation's state, then the top bar and the four screens. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppInfo, CallInput, Settings, VoucherDeskApi } from '../../preload/contract';
import { AdminProvider } from './components/AdminGate';
import { TABS, TopBar } from './components/TopBar';
import { CatalogScreen } from './catalog/CatalogScreen';
import { AppContext, type AppContextValue, type Tab } from './context';
import { errorText, setLanguage, toErrorLike, type ErrorLike } from './i18n';
import { resolveLanguage } from './i18n/locale';
import { KeysScreen } from './keys/KeysScreen';
import { KioskGuard } from './kiosk/KioskGuard';
import { MembersScreen } from './crm/MembersScreen';
import { RedeemScreen } from './redeem/RedeemScreen';
import { ReportsScreen } from './reports/ReportsScreen';
import { ScannerRouter } from './scanners/ScannerRouter';
import { SettingsScreen } from './settings/SettingsScreen';
import { SignInPanel } from './staff/SignInPanel';
import { StaffScreen } from './staff/StaffScreen';
import { signInNeeded, useOwnerAtWork, useStaffState, useStaffWatch } from './staff/store';
import { SyncScreen } from './sync/SyncScreen';
import { ShiftScreen } from './shifts/ShiftScreen';

const TAB_KEYS: Record<string, Tab> = Object.fromEntries(TABS.map((tab, i) => [String(i + 1), tab]));

export function App({ api }: { api: VoucherDeskApi }) {
  const { t } = useTranslation('app');
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [startError, setStartError] = useState<ErrorLike | null>(null);
  const [tab, setTab] = useState<Tab>('redeem');
  const [banner, setBanner] = useState<string | null>(null);
  useStaffWatch(api);
  const staff = useStaffState();
  const ownerAtWork = useOwnerAtWork();
  const signingIn = signInNeeded(staff, ownerAtWork);
  // The next person starts at the counter, not on the screen the last one left open.
  useEffect(() => {
    if (signingIn) setTab('redeem');
  }, [signingIn]);

  const start = useCallback(async () => {
    setStartError(null);
    try {
      const [i, s] = await Promise.all([api.call('app.info', {}), api.call('settings.get', {})]);
      setInfo(i);
      setSettings(s);
    } catch (e) {
      setStartError(toErrorLike(e));
    }
  }, [api]);

  useEffect(() => {
    void start();
  }, [start]);

  const refreshInfo = useCallback(async () => {
    try {
      setInfo(await api.call('app.info', {}));
    } catch (e) {
      setBanner(errorText(t, e));
    }
  }, [api, t]);

  useEffect(() => api.on('keystore.changed', () => void refreshInfo()), [api, refreshInfo]);

  const language = resolveLanguage(settings?.locale, navigator.language);
  useEffect(() => {
    void setLanguage(language);
  }, [language]);

  const saveSettings = useCallback(
    async (patch: CallInput<'settings.set'>) => {
      const s = await api.call('settings.set', patch);
      setSettings(s);
      return s;
    },
    [api],
  );

  const setLocale = useCallback(
    (locale: Settings['locale']) => {
      setSettings((s) => (s ? { ...s, locale } : s));
      api.call('settings.set', { locale }).then(setSettings, (e: unknown) => setBanner(errorText(t, e)));
    },
    [api, t],
  );

  // Alt+1…4 switch screens from anywhere.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const to = e.altKey && !e.ctrlKey && !e.metaKey ? TAB_KEYS[e.key] : undefined;
      if (to && !document.querySelector('dialog[open]')) {
        e.preventDefault();
        setTab(to);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const ctx = useMemo<AppContextValue | null>(
    () =>
      info && settings
        ? { api, info, settings, language, refreshInfo, saveSettings, setLocale, goTo: setTab }
        : null,
    [api, info, settings, language, refreshInfo, saveSettings, setLocale],
  );

  if (!ctx) {
    return (
      <div className="startup" data-testid="startup">
        <h1 className="startup__title">{t('title')}</h1>
        {startError ? (
          <>
            <p className="form-error" role="alert">
              {t('loadFailed')} {errorText(t, startError)}
            </p>
            <button type="button" className="button button--primary" onClick={() => void start()}>
              {t('retry')}
            </button>
          </>
        ) : (
          <p className="muted">{t('loading')}</p>
        )}
      </div>
    );
  }

  return (
    <AppContext.Provider value={ctx}>
      <AdminProvider>
        <TopBar tab={tab} onTab={setTab} onError={setBanner} />
        <ScannerRouter tab={tab} />
        <KioskGuard />
        {banner ? (
          <div className="banner" role="alert" data-testid="banner">
            <span>{banner}</span>
            <button type="button" className="button button--small button--ghost" onClick={() => setBanner(null)} aria-label={t('dialog.ok')}>
              ✕
            </button>
          </div>
        ) : null}
        {signingIn ? (
          <main className="main">
            <SignInPanel />
          </main>
        ) : (
          <main className="main">
            <div hidden={tab !== 'redeem'}>
              <RedeemScreen active={tab === 'redeem'} />
            </div>
            {tab === 'catalog' ? <CatalogScreen /> : null}
            {tab === 'keys' ? <KeysScreen /> : null}
            {tab === 'members' ? <MembersScreen /> : null}
            {tab === 'settings' ? <SettingsScreen /> : null}
            {tab === 'sync' ? <SyncScreen /> : null}
            {tab === 'staff' ? <StaffScreen /> : null}
            {tab === 'shift' ? <ShiftScreen /> : null}
            {tab === 'reports' ? <ReportsScreen /> : null}
          </main>
        )}
      </AdminProvider>
    </AppContext.Provider>
  );
}
