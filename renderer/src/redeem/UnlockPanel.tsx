/** Shown on the Redeem screen while the key store is locked: the passphrase unlocks it. */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../context';
import { errorText } from '../i18n';

export function UnlockPanel() {
  const { api, refreshInfo } = useApp();
  const { t } = useTranslation('redeem');
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function unlock() {
    const passphrase = input.current?.value ?? '';
    if (!passphrase) {
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.call('keystore.unlock', { passphrase });
      if (input.current) input.current.value = '';
      await refreshInfo();
    } catch (e) {
      setError(errorText(t, e));
      if (input.current) {
        input.current.value = '';
        input.current.focus();
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="panel panel--warning unlock"
      data-testid="unlock-panel"
      onSubmit={(e) => {
        e.preventDefault();
        void unlock();
      }}
    >
      <h2 className="panel__title">{t('unlockTitle')}</h2>
      <p>{t('unlockHint')}</p>
      <div className="inline-form">
        <label className="field field--grow">
          <span className="field__label">{t('unlockLabel')}</span>
          <input
            ref={input}
            type="password"
            className="input"
            autoComplete="off"
            autoFocus
            maxLength={1024}
            data-testid="unlock-passphrase"
          />
        </label>
        <button type="submit" className="button button--primary" disabled={busy} data-testid="unlock-submit">
          {busy ? t('app:dialog.working') : t('unlockSubmit')}
        </button>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
