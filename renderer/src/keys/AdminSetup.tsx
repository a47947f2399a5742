/** Setting the admin passphrase, once, on a new workstation. */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAdmin } from '../components/AdminGate';
import { Field } from '../components/Field';
import { useAction } from '../components/useAction';
import { useApp } from '../context';

export function AdminSetup({ onDone }: { onDone(): void }) {
  const { api, refreshInfo } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation('keys');
  const first = useRef<HTMLInputElement>(null);
  const second = useRef<HTMLInputElement>(null);
  const { busy, error, setError, run } = useAction();

  async function submit() {
    const a = first.current?.value ?? '';
    const b = second.current?.value ?? '';
    if (a.length < 8) return setError(t('setup.tooShort'));
    if (a !== b) return setError(t('setup.mismatch'));
    await run(async () => {
      const { token, expiresAt } = await api.call('admin.setup', { passphrase: a });
      admin.remember(token, expiresAt);
      if (first.current) first.current.value = '';
      if (second.current) second.current.value = '';
      onDone();
      await refreshInfo();
    });
  }

  return (
    <form
      className="panel panel--warning"
      data-testid="admin-setup"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 className="panel__title">{t('setup.title')}</h2>
      <p>{t('setup.hint')}</p>
      <div className="form-grid">
        <Field label={t('setup.passphrase')}>
          <input ref={first} type="password" className="input" autoComplete="new-password" autoFocus maxLength={1024} data-testid="setup-passphrase" />
        </Field>
        <Field label={t('setup.passphrase2')}>
          <input ref={second} type="password" className="input" autoComplete="new-password" maxLength={1024} data-testid="setup-passphrase2" />
        </Field>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button button--primary" disabled={busy} data-testid="setup-submit">
        {busy ? t('app:dialog.working') : t('setup.submit')}
      </button>
    </form>
  );
}
