/**
 * Undoing a redemption: why (a reason from the short list, words required with
 * "other"), and, past the undo window, that only the owner can. The core decides
 * the window and the role; this only says it ahead.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { UNDO_REASONS, type HistoryEntry, type UndoReason } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { useAction } from '../components/useAction';
import { useApp } from '../context';

/** A reversal's reason in the reader's words: the code's label, and the words given. */
export function undoReasonWords(entry: HistoryEntry, t: (key: string) => string): string {
  if (!entry.undoReason) return entry.reason ?? '';
  const label = t(`shifts:reason.${entry.undoReason.code}`);
  return entry.undoReason.text ? `${label}: ${entry.undoReason.text}` : label;
}

/** Whole minutes left to undo for a manager (rounded up), or 0 once the window is over. */
export function undoMinutesLeft(entry: HistoryEntry, now: number): number {
  return entry.undoUntil === undefined ? 0 : Math.max(0, Math.ceil((entry.undoUntil - now) / 60_000));
}

export function ReverseDialog({ entry, summary, onClose }: { entry: HistoryEntry; summary: string; onClose(done: boolean): void }) {
  const { api, settings } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation(['redeem', 'shifts']);
  const [code, setCode] = useState<UndoReason | ''>('');
  const [text, setText] = useState('');
  const { busy, error, setError, run } = useAction();
  const late = undoMinutesLeft(entry, Date.now()) === 0;

  async function submit() {
    const words = text.trim();
    // Words alone are a reason too (an "other" in the cashier's words).
    if ((!code || code === 'other') && !words) {
      setError(t('errors:ledger.reasonRequired'));
      return;
    }
    await run(async () => {
      const done = await withAdmin(admin, (adminToken) =>
        api.call('ledger.reverse', { adminToken, eventId: entry.id, ...(code ? { reasonCode: code } : {}), reason: words }),
      );
      if (done) onClose(true);
    });
  }

  return (
    <Dialog
      title={t('reverse.title')}
      okLabel={t('reverse.submit')}
      tone="danger"
      busy={busy}
      error={error}
      onSubmit={() => void submit()}
      onCancel={() => onClose(false)}
      testId="reverse-dialog"
    >
      <p className="dialog__hint">{summary}</p>
      {late ? (
        <p className="notice" data-testid="reverse-owner-only">
          {t('shifts:undoOwnerOnlyHint', { minutes: settings.undoWindowMinutes })}
        </p>
      ) : null}
      <Field label={t('shifts:reasonCode')}>
        <select className="input" value={code} onChange={(e) => setCode(e.currentTarget.value as UndoReason | '')} data-autofocus data-testid="reverse-code">
          <option value="" disabled>
            —
          </option>
          {UNDO_REASONS.map((r) => (
            <option key={r} value={r}>
              {t(`shifts:reason.${r}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={code === 'other' ? t('shifts:reasonTextRequired') : t('shifts:reasonText')}>
        <input
          type="text"
          className="input"
          maxLength={400}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          placeholder={t('reverse.reasonPlaceholder')}
          autoComplete="off"
          data-testid="reverse-reason"
        />
      </Field>
    </Dialog>
  );
}
