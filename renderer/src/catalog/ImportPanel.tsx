/**
 * Admin import of a catalog list from a CSV (header row) or JSON file:
 * campaigns, products or revocations. All or nothing, as the core does it;
 * a refused file shows the reason with the row numbers, and the rows' own
 * problems as the core listed them.
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { decodeText } from '../../../common/text/encoding';
import { ApiError } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { Field } from '../components/Field';
import { useAction } from '../components/useAction';
import { useApp } from '../context';

/** The core accepts at most this much text per call. */
export const MAX_IMPORT_CHARS = 100_000;

export type ImportWhat = 'campaigns' | 'products' | 'revocations';

export function ImportPanel({ what, onImported }: { what: ImportWhat; onImported(count: number): void }) {
  const { api } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation('catalog');
  const file = useRef<{ name: string; text: Promise<string> } | null>(null);
  const [formKey, setFormKey] = useState(0);
  const { busy, run } = useAction();
  const [error, setError] = useState<{ text: string; details: string[] } | null>(null);
  const [done, setDone] = useState<string | null>(null);

  function choose(f: File | undefined) {
    setError(null);
    setDone(null);
    // Read in the encoding the file is in (a GBK CSV from a Chinese spreadsheet too).
    file.current = f ? { name: f.name, text: f.arrayBuffer().then((b) => decodeText(new Uint8Array(b)).text) } : null;
    file.current?.text.catch(() => undefined);
  }

  function call(adminToken: string, fileName: string, content: string) {
    const input = { adminToken, fileName, content };
    if (what === 'campaigns') return api.call('campaigns.import', input);
    if (what === 'products') return api.call('products.import', input);
    return api.call('revocations.import', input);
  }

  async function submit() {
    setError(null);
    setDone(null);
    const f = file.current;
    if (!f) {
      setError({ text: t('import.noFile'), details: [] });
      return;
    }
    let content: string;
    try {
      content = await f.text;
    } catch {
      setError({ text: t('errors:file.cannotRead'), details: [] });
      return;
    }
    if (content.length > MAX_IMPORT_CHARS) {
      setError({ text: t('import.tooLarge', { max: MAX_IMPORT_CHARS.toLocaleString() }), details: [] });
      return;
    }
    await run(
      async () => {
        const result = await withAdmin(admin, (adminToken) => call(adminToken, f.name, content));
        if (!result) return;
        setDone(t(`import.done.${what}`, { count: result.imported, file: f.name }));
        file.current = null;
        setFormKey((k) => k + 1);
        onImported(result.imported);
      },
      (text, e) => {
        // import.badRows: the core's English message lists the first rows' problems after its first line.
        const details = e instanceof ApiError && e.code === 'import.badRows' ? e.message.split('\n').slice(1).filter(Boolean) : [];
        setError({ text, details });
      },
    );
  }

  return (
    <form
      key={formKey}
      className="panel"
      data-testid={`${what}-import`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 className="panel__title">{t(`import.title.${what}`)}</h2>
      <p className="muted">{t(`import.hint.${what}`)}</p>
      <div className="inline-form">
        <Field label={t('import.file')} className="field--grow">
          <input
            type="file"
            className="input input--file"
            accept=".csv,.json,.txt,text/csv,application/json,text/plain"
            data-testid={`${what}-import-file`}
            onChange={(e) => choose(e.currentTarget.files?.[0])}
          />
        </Field>
        <button type="submit" className="button button--primary field-align" disabled={busy} data-testid="catalog-import-submit">
          {busy ? t('app:dialog.working') : t('import.submit')}
        </button>
      </div>
      {error ? (
        <div className="form-error" role="alert" data-testid="catalog-import-error">
          <p className="form-error__text">{error.text}</p>
          {error.details.length ? (
            <ul className="import-details" lang="en">
              {error.details.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {done ? (
        <p className="notice notice--ok" role="status" data-testid="catalog-import-done">
          {done}
        </p>
      ) : null}
    </form>
  );
}
