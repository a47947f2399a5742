/**
 * The receipt printer's section of Settings: which printer (serial port, network
 * address, the computer's printer, or none), the paper, the slip's language, and
 * what happens after a redemption. Changing it needs the owner; a test page and a
 * reprint of the last slip are a button away.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BAUD_RATES, PAPER_WIDTHS, PRINTER_KINDS, SLIP_LANGUAGE_CHOICES, SLIP_POLICIES, type PrinterConfig, type PrinterStatus } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { Field } from '../components/Field';
import { useAction } from '../components/useAction';
import { useApp } from '../context';

export function PrinterSettings() {
  const { api } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation('printer');
  const [status, setStatus] = useState<PrinterStatus | null>(null);
  const [draft, setDraft] = useState<PrinterConfig | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const { busy, error, run } = useAction();

  useEffect(() => {
    void run(async () => {
      const s = await api.call('printer.status', {});
      setStatus(s);
      setDraft(s.config);
    });
  }, [api, run]);

  if (!draft) return null;
  const set = <K extends keyof PrinterConfig>(key: K, value: PrinterConfig[K]) => setDraft({ ...draft, [key]: value });

  const save = () =>
    run(async () => {
      setNote(null);
      const s = await withAdmin(admin, (adminToken) => api.call('printer.configure', { adminToken, ...draft }));
      if (!s) return;
      setStatus(s);
      setDraft(s.config);
      setNote(t('saved'));
    });
  const test = () =>
    run(async () => {
      setNote(null);
      await api.call('printer.test', {});
      setNote(t('testDone'));
    });
  const reprint = () =>
    run(async () => {
      setNote(null);
      if (await withAdmin(admin, (adminToken) => api.call('printer.printLast', { adminToken }))) setNote(t('printed'));
    });

  return (
    <form
      className="panel"
      data-testid="printer-settings"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 className="panel__title">{t('title')}</h2>
      <div className="inline-form">
        <Field label={t('kind')}>
          <select className="input" value={draft.kind} onChange={(e) => set('kind', e.currentTarget.value as PrinterConfig['kind'])} data-testid="printer-kind">
            {PRINTER_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kinds.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        {draft.kind === 'serial' ? (
          <>
            <Field label={t('path')} hint={t('pathHint')}>
              <input className="input" value={draft.path} maxLength={256} onChange={(e) => set('path', e.currentTarget.value)} data-testid="printer-path" />
            </Field>
            <Field label={t('baudRate')}>
              <select className="input" value={draft.baudRate} onChange={(e) => set('baudRate', Number(e.currentTarget.value) as PrinterConfig['baudRate'])} data-testid="printer-baud">
                {BAUD_RATES.map((b) => (
                  <option key={b} value={b}>
                    {b}
                  </option>
                ))}
              </select>
            </Field>
          </>
        ) : null}
        {draft.kind === 'tcp' ? (
          <>
            <Field label={t('host')} hint={t('hostHint')}>
              <input className="input" value={draft.host} maxLength={253} onChange={(e) => set('host', e.currentTarget.value.trim())} data-testid="printer-host" />
            </Field>
            <Field label={t('port')}>
              <input className="input input--number" type="number" min={1} max={65535} value={draft.port} onChange={(e) => set('port', Number(e.currentTarget.value) || 9100)} data-testid="printer-port" />
            </Field>
          </>
        ) : null}
        {draft.kind === 'os' ? (
          <Field label={t('osName')} hint={t('osNameHint')}>
            <input className="input" value={draft.osName} maxLength={127} onChange={(e) => set('osName', e.currentTarget.value.trim())} data-testid="printer-os-name" />
          </Field>
        ) : null}
      </div>
      <div className="inline-form">
        <Field label={t('paper')}>
          <select className="input" value={draft.paper} onChange={(e) => set('paper', Number(e.currentTarget.value) as PrinterConfig['paper'])} data-testid="printer-paper">
            {PAPER_WIDTHS.map((p) => (
              <option key={p} value={p}>
                {t(`papers.${p}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('language')}>
          <select className="input" value={draft.language} onChange={(e) => set('language', e.currentTarget.value as PrinterConfig['language'])} data-testid="printer-language">
            {SLIP_LANGUAGE_CHOICES.map((l) => (
              <option key={l} value={l}>
                {t(`languages.${l}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('afterRedemption')}>
          <select className="input" value={draft.afterRedemption} onChange={(e) => set('afterRedemption', e.currentTarget.value as PrinterConfig['afterRedemption'])} data-testid="printer-policy">
            {SLIP_POLICIES.map((p) => (
              <option key={p} value={p}>
                {t(`policies.${p}`)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <p className="field__hint">{t('ownerHint')}</p>
      {status?.last ? <p className="field__hint" data-testid="printer-last">{t('last', { title: status.last.title })}</p> : null}
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={busy} data-testid="printer-save">
          {t('save')}
        </button>
        <button type="button" className="button" disabled={busy || status?.config.kind === 'none'} onClick={() => void test()} data-testid="printer-test">
          {t('test')}
        </button>
        <button type="button" className="button" disabled={busy || !status?.last} onClick={() => void reprint()} data-testid="printer-reprint">
          {t('reprint')}
        </button>
      </div>
      {note ? (
        <p className="notice notice--ok" role="status" data-testid="printer-status">
          {note}
        </p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert" data-testid="printer-error">
          {error}
        </p>
      ) : null}
    </form>
  );
}
