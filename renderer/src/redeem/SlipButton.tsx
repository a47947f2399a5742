/**
 * The slip of the redemption on the verdict, as the printer's policy says:
 * "always" tells whether the slip came out (and offers a reprint, a manager's
 * call), "ask" offers "Print slip", "never" (or no printer) shows nothing. A
 * slip that did not print never undoes the redemption: the words say so.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrintResult, PrinterStatus } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { useApp } from '../context';
import { errorText } from '../i18n';

type Note = { kind: 'ok' | 'error'; text: string } | null;

export function SlipButton({ eventId }: { eventId: string }) {
  const { api } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation('printer');
  const [status, setStatus] = useState<PrinterStatus | null>(null);
  const [printed, setPrinted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<Note>(null);

  useEffect(() => {
    const heard = (r: PrintResult) => {
      if (r.eventId !== eventId) return;
      setPrinted(r.ok);
      setNote(r.ok ? { kind: 'ok', text: t('printed') } : { kind: 'error', text: t('notPrinted', { reason: r.error ? errorText(t, r.error) : '' }) });
    };
    const off = api.on('printer.result', heard);
    api.call('printer.status', {}).then(
      (s) => {
        setStatus(s);
        if (s.lastResult) heard(s.lastResult);
      },
      () => setStatus(null),
    );
    return off;
  }, [api, eventId, t]);

  const policy = status?.config.kind === 'none' ? 'never' : status?.config.afterRedemption;
  if (!policy || policy === 'never') return null;

  async function print(reprint: boolean) {
    setBusy(true);
    try {
      const done = reprint ? await withAdmin(admin, (adminToken) => api.call('printer.printLast', { adminToken })) : await api.call('printer.printRedemption', { eventId });
      if (done) {
        setPrinted(true);
        setNote({ kind: 'ok', text: t('printed') });
      }
    } catch (e) {
      setNote({ kind: 'error', text: t('notPrinted', { reason: errorText(t, e) }) });
    } finally {
      setBusy(false);
    }
  }

  const reprint = policy === 'always' || printed;
  return (
    <div className="verdict__actions" data-testid="slip">
      <button type="button" className="button button--small button--ghost" disabled={busy} onClick={() => void print(reprint)} data-testid={reprint ? 'slip-reprint' : 'slip-print'}>
        {reprint ? t('reprint') : t('printSlip')}
      </button>
      {note ? (
        <span className="verdict__note" role={note.kind === 'error' ? 'alert' : 'status'} data-testid={note.kind === 'error' ? 'slip-error' : 'slip-printed'}>
          {note.text}
        </span>
      ) : null}
    </div>
  );
}
