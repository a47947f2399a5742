/** Exports a report as a file (a manager's: asks for approval when needed) and saves it. */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallInput } from '../../../preload/contract';
import { EXPORT_MAX_ROWS } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { useApp } from '../context';
import { saveBase64 } from '../components/download';

type Report = CallInput<'reports.export'>['report'];

export function useExport(onMessage: (m: { ok: boolean; text: string }) => void) {
  const { api, language } = useApp();
  const gate = useAdmin();
  const { t } = useTranslation('reports');
  return useCallback(
    async (report: Report, format: 'csv' | 'xlsx', bom: boolean) => {
      const file = await withAdmin(gate, (adminToken) => api.call('reports.export', { adminToken, format, bom, language, report }));
      if (!file) return;
      saveBase64(file.contentBase64, file.fileName, file.mime);
      const done = t('export.done', { file: file.fileName, rows: file.rows });
      onMessage({ ok: true, text: file.truncated ? `${done} ${t('export.truncated', { rows: EXPORT_MAX_ROWS })}` : done });
    },
    [api, gate, language, onMessage, t],
  );
}
