/**
 * "Print on the receipt printer" for a shift's or a day's summary: the core
 * prints its own figures for that shift or day (a manager's call). Shown only
 * when a receipt printer is set up.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { useApp } from '../context';
import { errorText } from '../i18n';

export type SummarySlip = { shiftId: string } | { day: string };

export function SummarySlipButton({ slip }: { slip: SummarySlip }) {
  const { api } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation('printer');
  const [ready, setReady] = useState(false);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    api.call('printer.status', {}).then(
      (s) => setReady(s.config.kind !== 'none'),
      () => setReady(false),
    );
  }, [api]);
  if (!ready) return null;

  async function print() {
    setBusy(true);
    setNote(null);
    try {
      const done = await withAdmin(admin, (adminToken) =>
        'shiftId' in slip ? api.call('printer.printShift', { adminToken, shiftId: slip.shiftId }) : api.call('printer.printDay', { adminToken, day: slip.day }),
      );
      if (done) setNote({ ok: true, text: t('printed') });
    } catch (e) {
      setNote({ ok: false, text: t('summaryNotPrinted', { reason: errorText(t, e) }) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="summary-slip">
      <button type="button" className="button button--small" disabled={busy} onClick={() => void print()} data-testid="summary-slip-print">
        {t('printSummary')}
      </button>
      {note ? (
        <span className={note.ok ? 'muted' : 'form-error'} role={note.ok ? 'status' : 'alert'} data-testid={note.ok ? 'summary-slip-printed' : 'summary-slip-error'}>
          {' '}
          {note.text}
        </span>
      ) : null}
    </span>
  );
}
