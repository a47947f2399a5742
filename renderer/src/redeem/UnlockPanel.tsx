/** Shown on the Redeem screen while the key store is locked: the passphrase unlocks it. */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../components/Field';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { unlockBy } from '../staff/unlock';

export function UnlockPanel() {
  const { api, info, refreshInfo } = useApp();
  const { t } = useTranslation('redeem');
  const input = useRef<HTMLInputElement>(null);
  const { busy, error, setError, run } = useAction();

  async function unlock() {
    const passphrase = input.current?.value ?? '';
    if (!passphrase) {
      input.current?.focus();
      return;
    }
    await run(
      async () => {
        await api.call('keystore.unlock', { passphrase });
        if (input.current) input.current.value = '';
        await refreshInfo();
      },
      (text) => {
        setError(text);
        if (input.current) {
          input.current.value = '';
          input.current.focus();
        }
      },
    );
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
      {unlockBy(info) === 'owner' ? (
        <p className="notice notice--warning" data-testid="unlock-owner-only">
          {t('staff:unlock.ownerOnly')}
        </p>
      ) : null}
      <div className="inline-form">
        <Field label={t('unlockLabel')} className="field--grow">
          <input ref={input} type="password" className="input" autoComplete="off" autoFocus maxLength={1024} data-testid="unlock-passphrase" />
        </Field>
        <button type="submit" className="button button--primary" disabled={busy} data-testid="unlock-submit">
          {busy ? t('app:dialog.working') : t('unlockSubmit')}
        </button>
      </div>
      {error ? (
        <p className="form-error" role="alert" data-testid="unlock-error">
          {error}
        </p>
      ) : null}
    </form>
  );
}
