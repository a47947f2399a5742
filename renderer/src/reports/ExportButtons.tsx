/** Export as CSV (with a byte order mark for Excel, by choice) or XLSX: the file is made in the core and saved here. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallInput } from '../../../preload/contract';
import { errorText } from '../i18n';
import { useExport } from './useExport';

export function ExportButtons({ report, onMessage, testId }: { report: CallInput<'reports.export'>['report']; onMessage(m: { ok: boolean; text: string }): void; testId: string }) {
  const { t } = useTranslation('reports');
  const [bom, setBom] = useState(true);
  const [busy, setBusy] = useState(false);
  const exportAs = useExport(onMessage);
  const run = async (format: 'csv' | 'xlsx') => {
    setBusy(true);
    try {
      await exportAs(report, format, bom);
    } catch (e) {
      onMessage({ ok: false, text: errorText(t, e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="button-row report-export">
      <button type="button" className="button" disabled={busy} onClick={() => void run('csv')} data-testid={`${testId}-csv`}>
        {t('export.csv')}
      </button>
      <button type="button" className="button" disabled={busy} onClick={() => void run('xlsx')} data-testid={`${testId}-xlsx`}>
        {t('export.xlsx')}
      </button>
      <label className="check">
        <input type="checkbox" checked={bom} onChange={(e) => setBom(e.target.checked)} /> {t('export.bom')}
      </label>
    </div>
  );
}
