/** The audit log (owner): every staff action, newest first, a page at a time, and its export as a CSV file. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntryView } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { saveBlob } from '../components/download';
import { formatDateTime } from '../format';
import { detailText } from './form';

export const AUDIT_PAGE = 50;

export function AuditLog() {
  const { api, language } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation('staff');
  const [rows, setRows] = useState<AuditEntryView[] | null>(null);
  /** The pages before this one (their `beforeSeq`), so "Newer" goes back. */
  const [cursor, setCursor] = useState<number | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);
  const { run: runLoad, busy: loading, error: loadError } = useAction();
  const exporting = useAction();

  const show = useCallback(
    async (beforeSeq: number | undefined) => {
      await runLoad(async () => {
        const r = await withAdmin(admin, (adminToken) => api.call('audit.list', { adminToken, limit: AUDIT_PAGE, ...(beforeSeq ? { beforeSeq } : {}) }));
        if (!r) return;
        setRows(r);
        setCursor(beforeSeq);
      });
    },
    [admin, api, runLoad],
  );

  useEffect(() => {
    void show(undefined);
  }, [show]);

  async function exportCsv() {
    setNotice(null);
    await exporting.run(async () => {
      const r = await withAdmin(admin, (adminToken) => api.call('audit.export', { adminToken }));
      if (!r) return;
      saveBlob(r.content.startsWith('\ufeff') ? r.content : '\ufeff' + r.content, r.fileName, 'text/csv');
      setNotice(t('audit.exported', { file: r.fileName }));
    });
  }

  const last = rows && rows.length > 0 ? rows[rows.length - 1] : undefined;
  const older = rows && rows.length === AUDIT_PAGE && last ? last.seq : undefined;
  return (
    <section className="panel" aria-labelledby="audit-title" data-testid="audit-log">
      <div className="panel__head">
        <h2 id="audit-title" className="panel__title">
          {t('audit.title')}
        </h2>
        <button type="button" className="button" disabled={exporting.busy} onClick={() => void exportCsv()} data-testid="audit-export">
          {exporting.busy ? t('app:dialog.working') : t('audit.export')}
        </button>
      </div>
      <p className="muted">{t('audit.hint')}</p>
      {notice ? (
        <p className="notice notice--ok" role="status" data-testid="audit-exported">
          {notice}
        </p>
      ) : null}
      {loadError || exporting.error ? (
        <p className="form-error" role="alert" data-testid="audit-error">
          {loadError ?? exporting.error}
        </p>
      ) : null}
      {rows && rows.length === 0 ? <p className="muted">{t('audit.empty')}</p> : null}
      {rows && rows.length > 0 ? (
        <div className="table-scroll">
          <table className="table" data-testid="audit-table">
            <thead>
              <tr>
                <th>{t('audit.at')}</th>
                <th>{t('audit.action')}</th>
                <th>{t('audit.who')}</th>
                <th>{t('audit.approver')}</th>
                <th>{t('audit.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.seq} data-testid="audit-row" data-action={r.action} data-seq={r.seq}>
                  <td className="mono">{formatDateTime(r.at, language)}</td>
                  <td>{t(`audit.actions.${r.action}`, { defaultValue: r.action })}</td>
                  <td>
                    {r.actor} <span className="muted">({t(`roles.${r.role}`)})</span>
                  </td>
                  <td data-testid="audit-approver">{r.approver ?? '—'}</td>
                  <td className="staff-audit__detail">{detailText(r.detail)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div className="button-row">
        <button type="button" className="button button--small" disabled={loading || cursor === undefined} onClick={() => void show(undefined)} data-testid="audit-newest">
          {t('audit.newer')}
        </button>
        <button type="button" className="button button--small" disabled={loading || older === undefined} onClick={() => void show(older)} data-testid="audit-older">
          {t('audit.older')}
        </button>
      </div>
    </section>
  );
}
