/** The always-visible sync status in the top bar: online / offline since … / n waiting / last sync. */
import { useTranslation } from 'react-i18next';
import { useApp } from '../context';
import { formatWhen } from '../format';
import { useSyncStatus } from './useSyncStatus';

export function SyncBadge() {
  const { api, language, goTo } = useApp();
  const { t } = useTranslation('sync');
  const s = useSyncStatus(api);
  if (!s) return null;
  let state: string;
  let text: string;
  if (!s.configured) {
    state = 'none';
    text = t('status.notConfigured');
  } else if (s.running) {
    state = 'running';
    text = t('status.syncing');
  } else if (!s.unlocked) {
    state = 'paused';
    text = t('status.locked');
  } else if (s.online) {
    state = 'online';
    text = t('status.online');
  } else if (s.offlineSince) {
    state = 'offline';
    text = t('status.offlineSince', { time: formatWhen(s.offlineSince, language) });
  } else {
    state = 'never';
    text = t('status.never');
  }
  const title = [
    t('status.title'),
    s.lastSync ? t('status.lastSync', { time: formatWhen(s.lastSync, language) }) : null,
    ...s.lastErrors.slice(-1).map((e) => t(`errors:sync.err.${e.code}`, { ...e.params })),
  ]
    .filter(Boolean)
    .join(' — ');
  const sub = [
    s.configured && s.waiting > 0 ? t('status.waiting', { count: s.waiting }) : null,
    s.configured && s.lastSync ? t('status.lastSync', { time: formatWhen(s.lastSync, language) }) : null,
  ].filter(Boolean);
  return (
    <button type="button" className={`sync-badge sync-badge--${state}`} data-testid="sync-badge" data-state={state} title={title} onClick={() => goTo('sync')}>
      <span className="sync-badge__dot" aria-hidden="true" />
      <span className="sync-badge__main" data-testid="sync-badge-text">
        {text}
      </span>
      <span className="sync-badge__sub">
        {s.clockWrongMinutes !== null ? (
          <span className="sync-badge__clock" data-testid="sync-badge-clock">
            {t('status.clock', { minutes: s.clockWrongMinutes })}
          </span>
        ) : s.configured && s.waiting > 0 ? (
          <span data-testid="sync-badge-waiting">{sub.join(' · ')}</span>
        ) : (
          sub.join(' · ')
        )}
      </span>
    </button>
  );
}
