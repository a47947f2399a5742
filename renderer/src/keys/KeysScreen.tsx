/**
 * The admin's screen: set the admin passphrase (once), see the merchant, its
 * branch, the accepted platforms and every key with its fingerprint, import a
 * bundle or a single key, remove a key.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeystoreView } from '../../../preload/contract';
import { useApp } from '../context';
import { errorText } from '../i18n';
import { UnlockPanel } from '../redeem/UnlockPanel';
import { AdminSetup } from './AdminSetup';
import { ImportPanel } from './ImportPanel';
import { KeyTable } from './KeyTable';
import { MerchantCard } from './MerchantCard';

export function KeysScreen() {
  const { api, info } = useApp();
  const { t } = useTranslation('keys');
  const [view, setView] = useState<KeystoreView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [setupDone, setSetupDone] = useState(false);

  const load = useCallback(async () => {
    try {
      setView(await api.call('keystore.view', {}));
      setError(null);
    } catch (e) {
      setError(errorText(t, e));
    }
  }, [api, t]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => api.on('keystore.changed', () => void load()), [api, load]);

  return (
    <div className="keys" data-testid="keys-screen">
      <h1 className="screen-title">{t('title')}</h1>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {!info.adminConfigured ? <AdminSetup onDone={() => setSetupDone(true)} /> : null}
      {info.keystore === 'locked' ? <UnlockPanel /> : null}
      {setupDone && info.adminConfigured ? (
        <p className="notice notice--ok" role="status" data-testid="setup-done">
          {t('setup.done')}
        </p>
      ) : null}
      {view ? <MerchantCard view={view} /> : null}
      {info.adminConfigured ? <ImportPanel onImported={setView} /> : null}
      {view ? <KeyTable keys={view.keys} onChanged={setView} /> : null}
    </div>
  );
}
