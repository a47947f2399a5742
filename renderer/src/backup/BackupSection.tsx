/**
 * The Backup section of Settings (main/core/backup): back up now, the daily
 * schedule, the last backup's time and result, check a file, restore it (after
 * a confirmation that says what is replaced), and rebuild from the platform.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupStatus, BackupSummary } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { Field } from '../components/Field';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { formatDateTime } from '../format';

type Note = { ok: boolean; text: string } | null;

function NoteLine({ note, testId }: { note: Note; testId: string }) {
  if (!note) return null;
  return (
    <p className={note.ok ? 'notice notice--ok' : 'form-error'} role={note.ok ? 'status' : 'alert'} data-testid={testId}>
      {note.text}
    </p>
  );
}

export function BackupSection() {
  const { api, language } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation('backup');
  const when = (ms: number) => formatDateTime(ms, language);
  const [status, setStatus] = useState<BackupStatus | null>(null);
  const [path, setPath] = useState('');
  const [pass, setPass] = useState('');
  const [made, setMade] = useState<Note>(null);
  const [sched, setSched] = useState({ enabled: false, time: '22:00', folder: '', keep: '7', pass: '' });
  const [schedNote, setSchedNote] = useState<Note>(null);
  const [file, setFile] = useState('');
  const [filePass, setFilePass] = useState('');
  const [summary, setSummary] = useState<BackupSummary | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [fileNote, setFileNote] = useState<Note>(null);
  const [rebuildNote, setRebuildNote] = useState<Note>(null);
  const { busy, run } = useAction();
  const fail = (set: (n: Note) => void) => (text: string) => set({ ok: false, text });

  const refresh = useCallback(async () => {
    const s = await api.call('backup.status', {});
    setStatus(s);
    if (s.schedule) setSched((old) => ({ ...old, enabled: s.schedule!.enabled, time: s.schedule!.time, folder: s.schedule!.folder, keep: String(s.schedule!.keep) }));
  }, [api]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const backUpNow = () =>
    run(async () => {
      const r = await withAdmin(admin, (adminToken) => api.call('backup.create', { adminToken, path: path.trim(), passphrase: pass }));
      if (r) setMade({ ok: true, text: t('written', { file: r.file, events: r.summary.events }) });
      await refresh();
    }, fail(setMade)).then(() => refresh());

  const saveSchedule = () =>
    run(async () => {
      const s = await withAdmin(admin, (adminToken) =>
        api.call('backup.setSchedule', {
          adminToken,
          enabled: sched.enabled,
          time: sched.time,
          folder: sched.folder.trim(),
          keep: Number(sched.keep) || 7,
          ...(sched.pass ? { passphrase: sched.pass } : {}),
        }),
      );
      if (s) {
        setStatus(s);
        setSched((old) => ({ ...old, pass: '' }));
        setSchedNote({ ok: true, text: t('scheduleSaved') });
      }
    }, fail(setSchedNote));

  /** The owner's token, or none on a fresh workstation (a replaced PC's first run). */
  const asOwner = <T,>(fn: (adminToken?: string) => Promise<T>) => (status?.fresh ? fn(undefined) : withAdmin(admin, (token) => fn(token)));

  const verify = () =>
    run(async () => {
      setSummary(null);
      setConfirming(false);
      const s = await asOwner((adminToken) => api.call('backup.verify', { ...(adminToken ? { adminToken } : {}), path: file.trim(), passphrase: filePass }));
      if (s) {
        setSummary(s);
        setFileNote({ ok: true, text: t('summary', { device: s.device, merchant: s.merchant?.name ?? '—', when: when(s.at), events: s.events }) });
      }
    }, fail(setFileNote));

  const restore = () =>
    run(async () => {
      const r = await asOwner((adminToken) => api.call('backup.restore', { ...(adminToken ? { adminToken } : {}), path: file.trim(), passphrase: filePass }));
      if (r) setConfirming(false);
      await refresh();
    }, fail(setFileNote));

  const rebuild = () =>
    run(async () => {
      const r = await withAdmin(admin, (adminToken) => api.call('backup.rebuild', { adminToken }));
      if (r) setRebuildNote({ ok: true, text: t('rebuilt', { events: r.events }) });
    }, fail(setRebuildNote));

  const last = status?.last;
  return (
    <section className="panel" data-testid="backup-section">
      <h2 className="panel__title">{t('title')}</h2>
      <p className="field__hint">{t('intro')}</p>
      {status?.staged && (
        <p className="notice" role="status" data-testid="backup-staged">
          {t('staged', { device: status.staged.device, when: when(status.staged.at) })}
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void backUpNow();
        }}
      >
        <Field label={t('path')} hint={t('pathHint')}>
          <input className="input" value={path} onChange={(e) => setPath(e.currentTarget.value)} autoComplete="off" data-testid="backup-path" />
        </Field>
        <Field label={t('passphrase')} hint={t('passphraseHint')}>
          <input className="input" type="password" value={pass} onChange={(e) => setPass(e.currentTarget.value)} autoComplete="new-password" data-testid="backup-passphrase" />
        </Field>
        <button type="submit" className="button button--primary" disabled={busy || !path.trim() || pass.length < 8} data-testid="backup-now">
          {t('now')}
        </button>
        <NoteLine note={made} testId="backup-result" />
      </form>
      <p data-testid="backup-last">
        <strong>{t('last')}: </strong>
        {!last
          ? t('never')
          : last.ok
            ? t('lastOk', { when: when(last.at), how: t(last.scheduled ? 'scheduled' : 'onDemand'), file: last.file })
            : t('lastFailed', { when: when(last.at), how: t(last.scheduled ? 'scheduled' : 'onDemand'), reason: t(`errors:${last.error ?? 'core.internal'}`) })}
      </p>

      <h3>{t('schedule')}</h3>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void saveSchedule();
        }}
      >
        <label className="field">
          <span>
            <input type="checkbox" checked={sched.enabled} onChange={(e) => setSched({ ...sched, enabled: e.currentTarget.checked })} data-testid="backup-schedule-on" /> {t('scheduleOn')}
          </span>
        </label>
        <Field label={t('time')}>
          <input className="input" type="time" value={sched.time} onChange={(e) => setSched({ ...sched, time: e.currentTarget.value })} data-testid="backup-schedule-time" />
        </Field>
        <Field label={t('folder')} className="field--grow">
          <input className="input" value={sched.folder} onChange={(e) => setSched({ ...sched, folder: e.currentTarget.value })} data-testid="backup-schedule-folder" />
        </Field>
        <Field label={t('keep')}>
          <input className="input input--number" type="number" min={1} max={365} value={sched.keep} onChange={(e) => setSched({ ...sched, keep: e.currentTarget.value })} data-testid="backup-schedule-keep" />
        </Field>
        <Field label={t('passphrase')}>
          <input className="input" type="password" value={sched.pass} onChange={(e) => setSched({ ...sched, pass: e.currentTarget.value })} autoComplete="new-password" data-testid="backup-schedule-passphrase" />
        </Field>
        <button type="submit" className="button" disabled={busy} data-testid="backup-schedule-save">
          {t('saveSchedule')}
        </button>
      </form>
      <p className="field__hint">{t('scheduleHint')}</p>
      <NoteLine note={schedNote} testId="backup-schedule-status" />

      <h3>{t('verifyTitle')}</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void verify();
        }}
      >
        <Field label={t('path')}>
          <input className="input" value={file} onChange={(e) => { setFile(e.currentTarget.value); setSummary(null); }} autoComplete="off" data-testid="backup-file" />
        </Field>
        <Field label={t('passphrase')}>
          <input className="input" type="password" value={filePass} onChange={(e) => setFilePass(e.currentTarget.value)} autoComplete="off" data-testid="backup-file-passphrase" />
        </Field>
        <button type="submit" className="button" disabled={busy || !file.trim() || !filePass} data-testid="backup-verify">
          {t('verify')}
        </button>
        {summary && !confirming && (
          <button type="button" className="button" onClick={() => setConfirming(true)} data-testid="backup-restore">
            {t('restore')}
          </button>
        )}
      </form>
      <NoteLine note={fileNote} testId="backup-file-status" />
      {summary && confirming && (
        <div className="panel" role="alertdialog" aria-labelledby="backup-confirm-title" data-testid="backup-confirm">
          <h3 id="backup-confirm-title">{t('confirmTitle')}</h3>
          <p>{t('confirmText', { device: summary.device, when: when(summary.at) })}</p>
          <button type="button" className="button button--danger" disabled={busy} onClick={() => void restore()} data-testid="backup-confirm-yes">
            {t('confirm')}
          </button>
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            {t('cancel')}
          </button>
        </div>
      )}

      <h3>{t('rebuildTitle')}</h3>
      <p className="field__hint">{t('rebuildHint')}</p>
      <button type="button" className="button" disabled={busy} onClick={() => void rebuild()} data-testid="backup-rebuild">
        {t('rebuild')}
      </button>
      <NoteLine note={rebuildNote} testId="backup-rebuild-status" />
    </section>
  );
}
