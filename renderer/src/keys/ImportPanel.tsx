/** Importing the merchant bundle or a single key file (admin only), and what the import added. */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type ImportResult, type KeystoreView, type KeyView } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { guessKeyFile, type KeyFileGuess } from './keyFile';

/** The core accepts at most this much text per call. */
const MAX_FILE_CHARS = 100_000;

type Role = KeyView['role'];

export function ImportPanel({ onImported }: { onImported(view: KeystoreView): void }) {
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
  const { busy, error, setError, run } = useAction();
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
    await run(
      async () => {
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
      },
      (text, e) => {
        if (e instanceof ApiError && e.code === 'keys.otherMerchant' && !replaceMerchant) {
          setConfirmReplace(text);
        } else {
          setConfirmReplace(null);
          setError(text);
        }
      },
    );
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
        <Field label={t('import.file')}>
          <input
            type="file"
            className="input input--file"
            accept=".json,.jwk,.jwe,.pem,.key,.txt,.bundle,application/json,application/x-pem-file,text/plain"
            data-testid="import-file"
            onChange={(e) => chooseFile(e.currentTarget.files?.[0])}
          />
        </Field>
        {!single ? (
          <Field label={t('import.bundlePassphrase')} hint={t('import.bundlePassphraseHint')}>
            <input ref={passphrase} type="password" className="input" autoComplete="off" maxLength={1024} data-testid="bundle-passphrase" />
          </Field>
        ) : null}
      </div>
      {single ? (
        <fieldset className="fieldset" data-testid="single-key">
          <legend>{t('import.singleKey')}</legend>
          <div className="form-grid">
            <Field label={t('import.role')}>
              <select className="input" value={role} onChange={(e) => setRole(e.currentTarget.value as Role | '')} data-testid="import-role">
                <option value="">{t('import.chooseRole')}</option>
                <option value="merchant-encryption">{t('roles.merchant-encryption')}</option>
                <option value="merchant-signing">{t('roles.merchant-signing')}</option>
                <option value="issuer">{t('roles.issuer')}</option>
              </select>
            </Field>
            <Field label={t('import.kid')}>
              <input className="input mono" value={kid} maxLength={64} onChange={(e) => setKid(e.currentTarget.value)} data-testid="import-kid" />
            </Field>
            {role === 'issuer' ? (
              <Field label={t('import.iss')}>
                <input className="input mono" value={iss} maxLength={64} onChange={(e) => setIss(e.currentTarget.value)} data-testid="import-iss" />
              </Field>
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
