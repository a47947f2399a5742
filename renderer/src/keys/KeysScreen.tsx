/**
 * The admin's screen: set the admin passphrase (once), see the merchant, its
 * branch, the accepted platforms and every key with its fingerprint, import a
 * bundle or a single key, remove a key.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type ImportResult, type KeystoreView, type KeyView } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { Dialog } from '../components/Dialog';
import { useApp } from '../context';
import { formatDateTime } from '../format';
import { errorText } from '../i18n';
import { UnlockPanel } from '../redeem/UnlockPanel';
import { guessKeyFile, type KeyFileGuess } from './keyFile';

/** The core accepts at most this much text per call. */
const MAX_FILE_CHARS = 100_000;

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

function AdminSetup({ onDone }: { onDone(): void }) {
  const { api, refreshInfo } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation('keys');
  const first = useRef<HTMLInputElement>(null);
  const second = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit() {
    const a = first.current?.value ?? '';
    const b = second.current?.value ?? '';
    if (a.length < 8) return setError(t('setup.tooShort'));
    if (a !== b) return setError(t('setup.mismatch'));
    setBusy(true);
    setError(null);
    try {
      const { token, expiresAt } = await api.call('admin.setup', { passphrase: a });
      admin.remember(token, expiresAt);
      if (first.current) first.current.value = '';
      if (second.current) second.current.value = '';
      onDone();
      await refreshInfo();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
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
        <label className="field">
          <span className="field__label">{t('setup.passphrase')}</span>
          <input ref={first} type="password" className="input" autoComplete="new-password" autoFocus maxLength={1024} data-testid="setup-passphrase" />
        </label>
        <label className="field">
          <span className="field__label">{t('setup.passphrase2')}</span>
          <input ref={second} type="password" className="input" autoComplete="new-password" maxLength={1024} data-testid="setup-passphrase2" />
        </label>
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

function MerchantCard({ view }: { view: KeystoreView }) {
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

function keyType(k: KeyView): string {
  return [k.kty, k.crv, k.bits ? String(k.bits) : null].filter(Boolean).join(' ');
}

function KeyTable({ keys, onChanged }: { keys: KeyView[]; onChanged(view: KeystoreView): void }) {
  const { api } = useApp();
  const admin = useAdmin();
  const { t, i18n } = useTranslation('keys');
  const [removing, setRemoving] = useState<KeyView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function start(k: KeyView) {
    setNotice(null);
    setError(null);
    if (await admin.getToken()) setRemoving(k);
  }

  async function remove(k: KeyView) {
    setBusy(true);
    setError(null);
    try {
      const view = await withAdmin(admin, (adminToken) => api.call('keystore.remove', { adminToken, kid: k.kid }));
      if (view) {
        onChanged(view);
        setRemoving(null);
        setNotice(t('remove.done', { kid: k.kid }));
      }
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="key-table-title">
      <h2 id="key-table-title" className="panel__title">
        {t('table.title')}
      </h2>
      {notice ? (
        <p className="notice notice--ok" role="status">
          {notice}
        </p>
      ) : null}
      {keys.length === 0 ? (
        <p className="muted">{t('table.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="key-table">
            <thead>
              <tr>
                <th scope="col">{t('table.kid')}</th>
                <th scope="col">{t('table.role')}</th>
                <th scope="col">{t('table.type')}</th>
                <th scope="col">{t('table.fingerprint')}</th>
                <th scope="col">{t('table.source')}</th>
                <th scope="col">{t('table.added')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('table.remove')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={`${k.role}:${k.kid}`} data-testid="key-row" data-kid={k.kid} data-role={k.role}>
                  <td className="mono">{k.kid}</td>
                  <td>
                    {t(`roles.${k.role}`)}
                    {k.iss ? <div className="muted small">{k.iss}</div> : null}
                  </td>
                  <td className="nowrap">{keyType(k)}</td>
                  <td className="mono" data-testid="key-fingerprint">
                    {k.fingerprint}
                  </td>
                  <td className="small">{k.source}</td>
                  <td className="nowrap small">{formatDateTime(k.addedAt, i18n.language)}</td>
                  <td className="actions">
                    <button type="button" className="button button--small button--danger-outline" data-testid="key-remove" onClick={() => void start(k)}>
                      {t('table.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {removing ? (
        <Dialog
          title={t('remove.title', { kid: removing.kid })}
          okLabel={t('remove.confirm')}
          tone="danger"
          busy={busy}
          error={error}
          onSubmit={() => void remove(removing)}
          onCancel={() => {
            setRemoving(null);
            setError(null);
          }}
          testId="remove-dialog"
        >
          <p className="dialog__hint">{t('remove.text')}</p>
        </Dialog>
      ) : null}
    </section>
  );
}

type Role = KeyView['role'];

function ImportPanel({ onImported }: { onImported(view: KeystoreView): void }) {
  const { api, refreshInfo } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation('keys');
  // The file's text holds private keys: kept in a ref, never in state, dropped after the import.
  const content = useRef<Promise<string> | null>(null);
  const passphrase = useRef<HTMLInputElement>(null);
  const [formKey, setFormKey] = useState(0);
  const [fileName, setFileName] = useState<string | null>(null);
  const [guess, setGuess] = useState<KeyFileGuess>({ kind: 'unknown' });
  const [role, setRole] = useState<Role | ''>('');
  const [kid, setKid] = useState('');
  const [iss, setIss] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<ImportResult | null>(null);
  /** Set when the file is for another merchant: the core's words, shown in the confirm dialog. */
  const [confirmReplace, setConfirmReplace] = useState<string | null>(null);

  function chooseFile(file: File | undefined) {
    setError(null);
    setDone(null);
    setGuess({ kind: 'unknown' });
    content.current = null;
    setFileName(file ? file.name : null);
    if (!file) return;
    if (file.size > MAX_FILE_CHARS * 4) {
      setError(t('import.tooLarge'));
      return;
    }
    const reading = file.text();
    content.current = reading;
    reading.then(
      (text) => {
        if (content.current !== reading) return;
        const g = guessKeyFile(text);
        setGuess(g);
        if (g.kid) setKid(g.kid);
      },
      () => {
        if (content.current === reading) setError(t('import.readFailed'));
      },
    );
  }

  function reset() {
    content.current = null;
    if (passphrase.current) passphrase.current.value = '';
    setFileName(null);
    setGuess({ kind: 'unknown' });
    setRole('');
    setKid('');
    setIss('');
    setFormKey((k) => k + 1);
  }

  async function submit(replaceMerchant: boolean) {
    setError(null);
    setDone(null);
    if (!content.current || !fileName) {
      setError(t('import.noFile'));
      return;
    }
    let text: string;
    try {
      text = await content.current;
    } catch {
      setError(t('import.readFailed'));
      return;
    }
    if (text.length > MAX_FILE_CHARS) {
      setError(t('import.tooLarge'));
      return;
    }
    const single = guess.kind === 'single';
    if (single && !role) {
      setError(t('errors:keys.needRole'));
      return;
    }
    if (single && role === 'issuer' && !iss.trim()) {
      setError(t('errors:keys.needIssuer'));
      return;
    }
    const bundlePassphrase = passphrase.current?.value ?? '';
    setBusy(true);
    try {
      const result = await withAdmin(admin, (adminToken) =>
        api.call('keystore.import', {
          adminToken,
          fileName,
          content: text,
          ...(!single && bundlePassphrase ? { bundlePassphrase } : {}),
          ...(single && role ? { role } : {}),
          ...(single && kid.trim() ? { kid: kid.trim() } : {}),
          ...(single && iss.trim() ? { iss: iss.trim() } : {}),
          ...(replaceMerchant ? { replaceMerchant: true } : {}),
        }),
      );
      setConfirmReplace(null);
      if (!result) return;
      setDone(result);
      reset();
      await refreshInfo();
      onImported(await api.call('keystore.view', {}));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'keys.otherMerchant' && !replaceMerchant) {
        setConfirmReplace(errorText(t, e));
      } else {
        setConfirmReplace(null);
        setError(errorText(t, e));
      }
    } finally {
      setBusy(false);
    }
  }

  const single = guess.kind === 'single';
  return (
    <>
    <form
      key={formKey}
      className="panel"
      data-testid="import-panel"
      onSubmit={(e) => {
        e.preventDefault();
        void submit(false);
      }}
    >
      <h2 className="panel__title">{t('import.title')}</h2>
      <p className="muted">{t('import.hint')}</p>
      <div className="form-grid">
        <label className="field">
          <span className="field__label">{t('import.file')}</span>
          <input
            type="file"
            className="input input--file"
            accept=".json,.jwk,.jwe,.pem,.key,.txt,.bundle,application/json,application/x-pem-file,text/plain"
            data-testid="import-file"
            onChange={(e) => chooseFile(e.currentTarget.files?.[0])}
          />
        </label>
        {!single ? (
          <label className="field">
            <span className="field__label">{t('import.bundlePassphrase')}</span>
            <input
              ref={passphrase}
              type="password"
              className="input"
              autoComplete="off"
              maxLength={1024}
              data-testid="bundle-passphrase"
            />
            <span className="field__hint">{t('import.bundlePassphraseHint')}</span>
          </label>
        ) : null}
      </div>
      {single ? (
        <fieldset className="fieldset" data-testid="single-key">
          <legend>{t('import.singleKey')}</legend>
          <div className="form-grid">
            <label className="field">
              <span className="field__label">{t('import.role')}</span>
              <select className="input" value={role} onChange={(e) => setRole(e.currentTarget.value as Role | '')} data-testid="import-role">
                <option value="">{t('import.chooseRole')}</option>
                <option value="merchant-encryption">{t('roles.merchant-encryption')}</option>
                <option value="merchant-signing">{t('roles.merchant-signing')}</option>
                <option value="issuer">{t('roles.issuer')}</option>
              </select>
            </label>
            <label className="field">
              <span className="field__label">{t('import.kid')}</span>
              <input className="input mono" value={kid} maxLength={64} onChange={(e) => setKid(e.currentTarget.value)} data-testid="import-kid" />
            </label>
            {role === 'issuer' ? (
              <label className="field">
                <span className="field__label">{t('import.iss')}</span>
                <input className="input mono" value={iss} maxLength={64} onChange={(e) => setIss(e.currentTarget.value)} data-testid="import-iss" />
              </label>
            ) : null}
          </div>
        </fieldset>
      ) : null}
      {error ? (
        <p className="form-error" role="alert" data-testid="import-error">
          {error}
        </p>
      ) : null}
      {done ? <ImportDone result={done} /> : null}
      <button type="submit" className="button button--primary" disabled={busy} data-testid="import-submit">
        {busy ? t('app:dialog.working') : t('import.submit')}
      </button>
    </form>
      {confirmReplace !== null ? (
        <Dialog
          title={t('import.replaceTitle')}
          okLabel={t('import.replaceConfirm')}
          tone="danger"
          busy={busy}
          onSubmit={() => void submit(true)}
          onCancel={() => setConfirmReplace(null)}
          testId="replace-dialog"
        >
          <p className="dialog__hint">{confirmReplace}</p>
          <p className="dialog__hint">{t('import.replaceText')}</p>
        </Dialog>
      ) : null}
    </>
  );
}

function ImportDone({ result }: { result: ImportResult }) {
  const { t } = useTranslation('keys');
  const count = result.added.length;
  return (
    <div data-testid="import-result">
      <p className="notice notice--ok" role="status">
        {result.merchant ? t('import.doneMerchant', { count, merchant: result.merchant.name || result.merchant.id }) : t('import.done', { count })}
      </p>
      {result.warnings.map((w) => (
        <p key={w} className="notice notice--warning" role="alert" data-testid="import-warning" data-warning={w}>
          {w === 'clearBundle' ? t('warnings.clearBundle') : t('warnings.unknown', { code: w })}
        </p>
      ))}
    </div>
  );
}
