/** CSV import with preview, column mapping and per-row problems (nothing written before Import); CSV export; JSON backup and restore. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CSV_LINK_FIELDS, CSV_MEMBER_FIELDS, type ImportPreview } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { Field } from '../components/Field';
import { useApp } from '../context';
import { errorText } from '../i18n';
import { saveBlob } from '../components/download';

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function ImportExportPanel() {
  const { api } = useApp();
  const gate = useAdmin();
  const { t } = useTranslation('crm');
  const [kind, setKind] = useState<'members' | 'relationships'>('members');
  const [encoding, setEncoding] = useState<'auto' | 'utf-8' | 'gbk'>('auto');
  const [content, setContent] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const fields = kind === 'members' ? CSV_MEMBER_FIELDS : CSV_LINK_FIELDS;

  const doPreview = async (b64 = content, map: Record<string, string> | undefined = Object.keys(mapping).length ? mapping : undefined) => {
    if (!b64) return;
    setError(null);
    setNote(null);
    try {
      const p = await api.call('crm.importPreview', { kind, contentBase64: b64, encoding, ...(map ? { mapping: map } : {}) });
      setPreview(p);
      setMapping(p.mapping);
    } catch (e) {
      setPreview(null);
      setError(errorText(t, e));
    }
  };
  const commit = async () => {
    if (!preview) return;
    try {
      const r = await api.call('crm.importCommit', { token: preview.token });
      setNote(t('io.done', r));
      setPreview(null);
    } catch (e) {
      setError(errorText(t, e));
    }
  };
  const exportCsv = async (k: 'members' | 'relationships') => {
    try {
      const r = await withAdmin(gate, (adminToken) => api.call('crm.export', { adminToken, kind: k }));
      if (!r) return;
      if (!window.confirm(t('io.warning'))) return;
      saveBlob('\ufeff' + r.csv, `voucherdesk-${k}.csv`, 'text/csv');
    } catch (e) {
      setError(errorText(t, e));
    }
  };
  const backup = async () => {
    try {
      const r = await withAdmin(gate, (adminToken) => api.call('crm.backup', { adminToken }));
      if (!r) return;
      if (!window.confirm(t('io.warning'))) return;
      saveBlob(r.json, `voucherdesk-crm-${new Date().toISOString().slice(0, 10)}.json`, 'application/json');
    } catch (e) {
      setError(errorText(t, e));
    }
  };
  const restore = async (file: File) => {
    try {
      if (!window.confirm(t('io.restoreConfirm'))) return;
      const json = await file.text();
      const r = await withAdmin(gate, (adminToken) => api.call('crm.restore', { adminToken, json }));
      if (r) setNote(t('io.restored', r));
    } catch (e) {
      setError(errorText(t, e));
    }
  };

  return (
    <section className="panel" data-testid="crm-io">
      <h2 className="panel__title">{t('io.import')}</h2>
      <div className="inline-form crm-wrap">
        <Field label={t('io.kind')}>
          <select className="input" value={kind} onChange={(e) => { setKind(e.target.value as typeof kind); setPreview(null); setMapping({}); }} data-testid="crm-import-kind">
            <option value="members">{t('io.kinds.members')}</option>
            <option value="relationships">{t('io.kinds.relationships')}</option>
          </select>
        </Field>
        <Field label={t('io.encoding')}>
          <select className="input" value={encoding} onChange={(e) => setEncoding(e.target.value as typeof encoding)} data-testid="crm-import-encoding">
            <option value="auto">{t('io.encodingAuto')}</option>
            <option value="utf-8">UTF-8</option>
            <option value="gbk">GBK</option>
          </select>
        </Field>
        <Field label={t('io.file')}>
          <input
            className="input input--file"
            type="file"
            accept=".csv,text/csv"
            data-testid="crm-import-file"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (!f) return;
              const b64 = toBase64(new Uint8Array(await f.arrayBuffer()));
              setContent(b64);
              setMapping({});
              await doPreview(b64, undefined);
            }}
          />
        </Field>
        <button type="button" className="button" disabled={!content} onClick={() => void doPreview()} data-testid="crm-import-preview">
          {t('io.preview')}
        </button>
      </div>
      {error ? <p className="form-error" role="alert" data-testid="crm-import-error">{error}</p> : null}
      {note ? <p className="notice notice--ok" data-testid="crm-import-done">{note}</p> : null}
      {preview ? (
        <div data-testid="crm-import-report" data-good={preview.good} data-bad={preview.issues.length}>
          <h3>{t('io.mapping')}</h3>
          <div className="form-grid">
            {fields.map((f) => (
              <label key={f} className="field">
                <span className="field__label">{t(`io.fields.${f}`)}</span>
                <select className="input" value={mapping[f] ?? ''} onChange={(e) => setMapping((m) => ({ ...m, [f]: e.target.value }))}>
                  <option value="">{t('io.notUsed')}</option>
                  {preview.columns.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
          <button type="button" className="button" onClick={() => void doPreview(content, Object.fromEntries(fields.map((f) => [f, mapping[f] ?? ''])))}>
            {t('io.preview')}
          </button>
          <p>{t('io.summary', { rows: preview.rows, good: preview.good, unchanged: preview.unchanged, bad: preview.issues.length })}</p>
          {preview.issues.length ? (
            <>
              <h3>{t('io.issues')}</h3>
              <div className="table-scroll crm-issues">
                <table className="table">
                  <thead>
                    <tr>
                      <th className="num">{t('io.line')}</th>
                      <th>{t('io.problem')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.issues.slice(0, 500).map((i) => (
                      <tr key={`${i.line}-${i.code}`} data-testid="crm-import-issue" data-line={i.line} data-code={i.code}>
                        <td className="num">{i.line}</td>
                        <td>{errorText(t, { code: i.code, message: i.message, params: i.params ?? {} })}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : null}
          <button type="button" className="button button--primary" disabled={preview.good === 0} onClick={() => void commit()} data-testid="crm-import-commit">
            {t('io.commit', { count: preview.good })}
          </button>
        </div>
      ) : null}
      <h2 className="panel__title">{t('io.export')}</h2>
      <p className="notice notice--warning">{t('io.warning')}</p>
      <div className="button-row">
        <button type="button" className="button" onClick={() => void exportCsv('members')} data-testid="crm-export-members">
          {t('io.exportMembers')}
        </button>
        <button type="button" className="button" onClick={() => void exportCsv('relationships')}>
          {t('io.exportLinks')}
        </button>
        <button type="button" className="button" onClick={() => void backup()} data-testid="crm-backup">
          {t('io.backup')}
        </button>
        <label className="button">
          {t('io.restore')}
          <input type="file" accept=".json,application/json" hidden onChange={(e) => e.target.files?.[0] && void restore(e.target.files[0])} />
        </label>
      </div>
    </section>
  );
}
