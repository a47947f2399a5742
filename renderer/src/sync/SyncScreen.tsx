/**
 * The Sync screen: status and Sync now (with a progress bar), recent problems
 * in plain words, close of day (printable / savable as PDF through the print
 * dialog), conflicts to settle, events the platform rejected, and the batch
 * file for removable media.
 */
import { saveBlob } from '../components/download';
import { useCallback, useEffect, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConflictView, RejectedView, SyncEventRef } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { Field } from '../components/Field';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { formatDateTime, formatWhen } from '../format';
import { errorText } from '../i18n';
import { CloseDayPanel } from './CloseDayPanel';
import { useSyncStatus } from './useSyncStatus';
import './sync.css';

export function SyncScreen() {
  const { api, language } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation('sync');
  const status = useSyncStatus(api);
  const syncing = useAction();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [conflicts, setConflicts] = useState<ConflictView[]>([]);
  const [showSettled, setShowSettled] = useState(false);
  const [rejected, setRejected] = useState<RejectedView[]>([]);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [every, setEvery] = useState('');
  const [timeout, setTimeoutMs] = useState('');
  useEffect(() => {
    if (status && every === '') setEvery(String(status.downloadEverySeconds));
    if (status && timeout === '') setTimeoutMs(String(status.onlineTimeoutMs));
  }, [status, every, timeout]);

  async function saveOptions() {
    const downloadEverySeconds = Number(every);
    const onlineTimeoutMs = Number(timeout);
    if (!Number.isInteger(downloadEverySeconds) || downloadEverySeconds < 10 || downloadEverySeconds > 86_400 || !Number.isInteger(onlineTimeoutMs) || onlineTimeoutMs < 200 || onlineTimeoutMs > 10_000) {
      setMessage({ ok: false, text: t('options.invalid') });
      return;
    }
    try {
      const done = await withAdmin(admin, (adminToken) => api.call('sync.setOptions', { adminToken, downloadEverySeconds, onlineTimeoutMs }));
      if (done) setMessage({ ok: true, text: t('options.saved') });
    } catch (e) {
      setMessage({ ok: false, text: errorText(t, e) });
    }
  }

  const loadLists = useCallback(async () => {
    try {
      const [c, r] = await Promise.all([api.call('sync.conflicts', { includeSettled: showSettled }), api.call('sync.rejected', {})]);
      setConflicts(c);
      setRejected(r);
    } catch (e) {
      setMessage({ ok: false, text: errorText(t, e) });
    }
  }, [api, showSettled, t]);

  useEffect(() => {
    void loadLists();
  }, [loadLists, status?.openConflicts, status?.rejected, status?.lastSync]);

  async function syncNow() {
    setMessage(null);
    await syncing.run(
      async () => {
        await api.call('sync.now', {});
        setMessage({ ok: true, text: t('screen.done') });
      },
      (text) => setMessage({ ok: false, text }),
    );
  }

  async function exportEvents() {
    setMessage(null);
    try {
      const r = await api.call('sync.export', {});
      saveBlob(r.content, r.fileName, 'application/octet-stream');
      setMessage({ ok: true, text: `${t('media.exported', { count: r.count, file: r.fileName })} ${t(r.signed ? 'media.signed' : 'media.unsigned')}` });
    } catch (e) {
      setMessage({ ok: false, text: errorText(t, e) });
    }
  }

  async function loadReceipt(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    try {
      const r = await api.call('sync.loadReceipt', { content: await file.text() });
      setMessage({ ok: true, text: t('media.receiptDone', { marked: r.marked }) });
    } catch (err) {
      setMessage({ ok: false, text: errorText(t, err) });
    }
  }

  async function settle(c: ConflictView) {
    const note = (notes[c.eventId] ?? '').trim();
    if (!note) return;
    try {
      const done = await withAdmin(admin, (adminToken) => api.call('sync.settle', { adminToken, eventId: c.eventId, note }));
      if (done) {
        setNotes((n) => ({ ...n, [c.eventId]: '' }));
        await loadLists();
      }
    } catch (e) {
      setMessage({ ok: false, text: errorText(t, e) });
    }
  }

  const where = (e: SyncEventRef | null) =>
    e ? t('conflicts.where', { branch: e.branch ?? '—', device: e.device ?? '—', time: e.at ? formatDateTime(e.at, language) : '—' }) : t('conflicts.unknown');

  const progress = status?.progress;
  const pct = progress && progress.total ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : null;

  return (
    <div className="sync-screen">
      <h1 className="screen-title">{t('screen.title')}</h1>
      {message ? (
        <p className={message.ok ? 'notice notice--ok' : 'form-error'} role={message.ok ? 'status' : 'alert'} data-testid="sync-message">
          {message.text}
        </p>
      ) : null}

      <section className="panel no-print" data-testid="sync-status-panel">
        <h2 className="panel__title">{t('status.title')}</h2>
        {!status ? null : !status.configured ? (
          <p className="muted">{t('screen.notConfigured')}</p>
        ) : (
          <>
            {!status.unlocked ? <p className="notice">{t('screen.locked')}</p> : null}
            {status.clockWrongMinutes !== null ? (
              <p className="form-error" data-testid="sync-clock-warning">
                {t('screen.clockWarning', { minutes: status.clockWrongMinutes })}
              </p>
            ) : null}
            <dl className="facts">
              <dt>{t('screen.server')}</dt>
              <dd className="mono">{status.url}</dd>
              <dt>{t('screen.device')}</dt>
              <dd className="mono">{status.deviceId}</dd>
              <dt>{t('screen.state')}</dt>
              <dd data-testid="sync-state">
                {status.online
                  ? t('status.online')
                  : status.offlineSince
                    ? t('status.offlineSince', { time: formatWhen(status.offlineSince, language) })
                    : t('status.never')}
                {status.nextAttemptAt ? ` — ${t('screen.nextAttempt', { time: formatWhen(status.nextAttemptAt, language) })}` : ''}
              </dd>
              <dt>{t('screen.waiting')}</dt>
              <dd data-testid="sync-waiting">{status.waiting}</dd>
              <dt>{t('screen.lastSync')}</dt>
              <dd>{status.lastSync ? formatDateTime(status.lastSync, language) : t('screen.never')}</dd>
            </dl>
            <div className="button-row">
              <button type="button" className="button button--primary" onClick={() => void syncNow()} disabled={syncing.busy || !status.unlocked} data-testid="sync-now">
                {syncing.busy ? t('screen.syncing') : t('screen.syncNow')}
              </button>
            </div>
            {progress ? (
              <div className="sync-progress" data-testid="sync-progress">
                <progress max={100} value={pct ?? undefined} />
                <span>
                  {progress.phase === 'upload'
                    ? t('screen.upload', { done: progress.done, total: progress.total ?? '?' })
                    : t('screen.download', { done: progress.done })}
                </span>
              </div>
            ) : null}
            <div className="inline-form sync-options">
              <Field label={t('options.every')}>
                <input className="input input--number" type="number" min={10} max={86400} value={every} onChange={(e) => setEvery(e.target.value)} data-testid="sync-every" />
              </Field>
              <Field label={t('options.timeout')}>
                <input className="input input--number" type="number" min={200} max={10000} value={timeout} onChange={(e) => setTimeoutMs(e.target.value)} data-testid="sync-timeout" />
              </Field>
              <button type="button" className="button button--small" onClick={() => void saveOptions()} data-testid="sync-options-save">
                {t('options.save')}
              </button>
            </div>
            <h3 className="sync-subtitle">{t('screen.errors')}</h3>
            {status.lastErrors.length === 0 ? (
              <p className="muted">{t('screen.noErrors')}</p>
            ) : (
              <ul className="sync-errors" data-testid="sync-errors">
                {[...status.lastErrors].reverse().map((e) => (
                  <li key={`${e.at}-${e.code}`}>
                    <span className="muted">{formatWhen(e.at, language)}</span> {t(`errors:sync.err.${e.code}`, { ...e.params })}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </section>

      <CloseDayPanel onError={(text: string) => setMessage({ ok: false, text })} />

      <section className="panel no-print" data-testid="conflicts">
        <h2 className="panel__title">{t('conflicts.title')}</h2>
        <p className="muted">{t('conflicts.hint')}</p>
        <label className="check">
          <input type="checkbox" checked={showSettled} onChange={(e) => setShowSettled(e.target.checked)} /> {t('conflicts.showSettled')}
        </label>
        {conflicts.length === 0 ? (
          <p className="muted">{t('conflicts.none')}</p>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th>{t('conflicts.voucher')}</th>
                  <th>{t('conflicts.first')}</th>
                  <th>{t('conflicts.second')}</th>
                  <th>{t('conflicts.note')}</th>
                </tr>
              </thead>
              <tbody>
                {conflicts.map((c) => (
                  <tr key={c.eventId} data-testid="conflict-row">
                    <td className="mono">{c.jti ?? '—'}</td>
                    <td>{where(c.first)}</td>
                    <td>
                      {where(c.event)}
                      {c.origin === 'online' ? <span className="muted"> ({t('conflicts.refusedOnline')})</span> : null}
                    </td>
                    <td>
                      {c.settledAt ? (
                        t('conflicts.settled', { time: formatDateTime(c.settledAt, language), by: c.settledBy ?? '—', note: c.note ?? '' })
                      ) : (
                        <span className="inline-form">
                          <input
                            className="input"
                            value={notes[c.eventId] ?? ''}
                            maxLength={500}
                            onChange={(e) => setNotes((n) => ({ ...n, [c.eventId]: e.target.value }))}
                            aria-label={t('conflicts.note')}
                            data-testid="conflict-note"
                          />
                          <button type="button" className="button button--small" disabled={!(notes[c.eventId] ?? '').trim()} onClick={() => void settle(c)} data-testid="conflict-settle">
                            {t('conflicts.settle')}
                          </button>
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel no-print">
        <h2 className="panel__title">{t('rejected.title')}</h2>
        {rejected.length === 0 ? (
          <p className="muted">{t('rejected.none')}</p>
        ) : (
          <ul className="sync-errors" data-testid="rejected">
            {rejected.map((r) => (
              <li key={r.eventId}>
                <span className="mono">{r.jti ?? r.eventId}</span> {r.at ? formatDateTime(r.at, language) : ''} — {r.reason}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="panel no-print">
        <h2 className="panel__title">{t('media.title')}</h2>
        <p className="muted">{t('media.hint')}</p>
        <div className="button-row">
          <button type="button" className="button" onClick={() => void exportEvents()} data-testid="sync-export">
            {t('media.export')}
          </button>
          <label className="button">
            {t('media.receipt')}
            <input type="file" accept=".json,application/json" hidden onChange={(e) => void loadReceipt(e)} data-testid="sync-receipt" />
          </label>
        </div>
      </section>
    </div>
  );
}
