/**
 * The last redemptions, newest first, with Undo and the time left to undo for a
 * manager (after it, the owner only). Reloaded when
 * the ledger changes (its event) and after each scan.
 */
import { maskIds } from '../../../common/people/mask';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HistoryEntry } from '../../../preload/contract';
import { useAdmin } from '../components/AdminGate';
import { useApp } from '../context';
import { formatMoney, formatWhen } from '../format';
import { errorText } from '../i18n';
import { ReverseDialog, undoMinutesLeft, undoReasonWords } from './ReverseDialog';

const LIMIT = 20;

export function HistoryList({ refreshKey }: { refreshKey: number }) {
  const { api } = useApp();
  const { t, i18n } = useTranslation('redeem');
  const admin = useAdmin();
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [undoing, setUndoing] = useState<HistoryEntry | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The time left to undo counts down on screen; the core decides at the undo.
  const [now, setNow] = useState(() => Date.now());
  const loading = useRef(false);
  const again = useRef(false);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  const load = useCallback(async () => {
    // One load at a time; a change during a load triggers one more.
    if (loading.current) {
      again.current = true;
      return;
    }
    loading.current = true;
    try {
      do {
        again.current = false;
        try {
          setEntries(await api.call('ledger.history', { limit: LIMIT }));
          setNow(Date.now());
          setLoadError(null);
        } catch (e) {
          setLoadError(`${t('history.loadFailed')} ${errorText(t, e)}`);
        }
      } while (again.current);
    } finally {
      loading.current = false;
    }
  }, [api, t]);

  useEffect(() => {
    void load();
  }, [load, refreshKey]);
  useEffect(() => api.on('ledger.changed', () => void load()), [api, load]);

  async function startUndo(entry: HistoryEntry) {
    setNotice(null);
    const token = await admin.getToken();
    if (token) setUndoing(entry);
  }

  const locale = i18n.language;
  const undoLabel = (e: HistoryEntry): string => {
    if (e.undoUntil === undefined) return t('history.undo');
    const minutes = undoMinutesLeft(e, now);
    return minutes > 0 ? t('shifts:undoLeft', { minutes }) : t('shifts:undoOwnerOnly');
  };
  return (
    <section className="history" aria-labelledby="history-title" data-testid="history">
      <h2 id="history-title" className="section-title">
        {t('history.title')}
      </h2>
      {notice ? (
        <p className="notice notice--ok" role="status">
          {notice}
        </p>
      ) : null}
      {loadError ? (
        <p className="form-error" role="alert">
          {loadError}
        </p>
      ) : null}
      {entries && entries.length === 0 ? <p className="muted">{t('history.empty')}</p> : null}
      <table className="table history__table" hidden={!entries || entries.length === 0}>
        <thead>
          <tr>
            <th scope="col">{t('history.time')}</th>
            <th scope="col">{t('history.product')}</th>
            <th scope="col" className="num">
              {t('history.units')}
            </th>
            <th scope="col">{t('history.cashier')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('history.undo')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(entries ?? []).map((e) => (
            <tr
              key={e.id}
              data-testid="history-row"
              data-event-id={e.id}
              data-type={e.type}
              data-reversed={e.reversedBy ? 'true' : undefined}
              className={e.type === 'reversal' ? 'history__row--reversal' : e.reversedBy ? 'history__row--reversed' : undefined}
            >
              <td className="nowrap">{formatWhen(e.at, locale)}</td>
              <td>
                {e.type === 'reversal' ? (
                  <span className="tag">{e.reason ? t('history.reversalOf', { reason: undoReasonWords(e, t) }) : t('history.reversal')}</span>
                ) : null}{' '}
                {e.type === 'redemption' && (e.kind === 'value' || e.kind === 'gift') ? <span className="tag">{t(`history.kind.${e.kind}`)}</span> : null}{' '}
                {describeProduct(e)}
              </td>
              <td className="num nowrap">{quantity(e, locale)}</td>
              <td>{e.cashier ?? '—'}</td>
              <td className="actions">
                {e.type === 'redemption' && !e.reversedBy ? (
                  <button type="button" className="button button--small" data-testid="undo" onClick={() => void startUndo(e)}>
                    {undoLabel(e)}
                  </button>
                ) : e.reversedBy ? (
                  <span className="tag tag--muted" data-testid="reversed">
                    {t('history.reversed')}
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {undoing ? (
        <ReverseDialog
          entry={undoing}
          summary={t('reverse.summary', { product: `${describeProduct(undoing)} ${quantity(undoing, locale)}`.trim(), time: formatWhen(undoing.at, locale) })}
          onClose={(done) => {
            setUndoing(null);
            if (done) {
              setNotice(t('history.undone'));
              void load();
            }
          }}
        />
      ) : null}
    </section>
  );
}

function describeProduct(e: HistoryEntry): string {
  return e.product ?? e.sku ?? (e.iss && e.jti ? maskIds(`${e.iss} / ${e.jti}`) : '—');
}

function quantity(e: HistoryEntry, locale: string): string {
  if (e.amount != null && (e.kind === 'value' || e.units == null)) return formatMoney(e.amount, e.cur, locale);
  if (e.units != null) return `× ${e.units}`;
  return '';
}
