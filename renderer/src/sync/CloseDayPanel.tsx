/**
 * Close of day: the day in the merchant's time zone (its window stated), this
 * workstation's count beside the platform's when a server is configured, the
 * lines per product and per cashier, this workstation's oversold redemptions,
 * and the days closed before. Without a server it is the ledger's own report.
 * Printable / savable as PDF.
 */
import { SummarySlipButton } from '../redeem/SummarySlipButton';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallResult, CloseDayReport, DayCounts } from '../../../preload/contract';
import { dayOf, wallTime } from '../../../common/time/day';
import { Field } from '../components/Field';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { formatDateTime, formatMoney } from '../format';
import { SummaryTables } from '../reports/SummaryTables';
import { DayCampaigns } from './DayCampaigns';
import { OversoldList } from './OversoldList';

const ROWS = ['redemptions', 'reversals', 'units', 'gross', 'conflicts'] as const;

export function CloseDayPanel({ onError }: { onError(text: string): void }) {
  const { api, language } = useApp();
  const { t } = useTranslation('sync');
  const [day, setDay] = useState('');
  const [report, setReport] = useState<CloseDayReport | null>(null);
  const [closed, setClosed] = useState<CallResult<'sync.closedDays'>>([]);
  const closingDay = useAction();

  const loadClosed = useCallback(async () => {
    try {
      setClosed(await api.call('sync.closedDays', {}));
    } catch {
      // The list is a convenience: the close itself reports its own errors.
    }
  }, [api]);

  useEffect(() => {
    void loadClosed();
    api.call('reports.timeZone', {}).then(
      (z) => setDay((d) => d || dayOf(Date.now(), z.timeZone)),
      () => setDay((d) => d || new Date().toISOString().slice(0, 10)),
    );
  }, [api, loadClosed]);

  async function closeDay() {
    await closingDay.run(async () => {
      setReport(await api.call('sync.closeDay', { day }));
      await loadClosed();
    }, onError);
  }

  const cell = (k: (typeof ROWS)[number], c: DayCounts | null, cur: string | null) =>
    c === null ? '—' : k === 'gross' ? (c.grossComplete === false ? '—' : formatMoney(c.gross, cur ?? 'CNY', language)) : String(c[k]);

  return (
    <section className="panel day-report" data-testid="close-day">
      <h2 className="panel__title">{report ? t('day.report', { day: report.day }) : t('day.title')}</h2>
      <div className="button-row no-print">
        <Field label={t('day.day')}>
          <input className="input" type="date" value={day} onChange={(e) => setDay(e.target.value)} data-testid="close-day-date" />
        </Field>
        <button type="button" className="button button--primary" onClick={() => void closeDay()} disabled={closingDay.busy || !/^\d{4}-\d{2}-\d{2}$/.test(day)} data-testid="close-day-button">
          {closingDay.busy ? t('day.closing') : t('day.close')}
        </button>
        {report ? (
          <button type="button" className="button" onClick={() => window.print()} data-testid="close-day-print">
            {t('day.print')}
          </button>
        ) : null}
        {report ? <SummarySlipButton slip={{ day: report.day }} /> : null}
      </div>
      {report ? (
        <>
          <p className="muted">
            {[report.merchant?.name ?? report.merchant?.id, report.branch?.name ?? report.branch?.id, report.device].filter(Boolean).join(' · ')} —{' '}
            {t('day.closedAt', { time: formatDateTime(report.closedAt, language) })}
          </p>
          <p data-testid="close-day-window">{t('day.window', { from: wallTime(report.from, report.timeZone), to: wallTime(report.to, report.timeZone), zone: report.timeZone })}</p>
          {report.syncError ? <p className="form-error">{t('day.noServer', { reason: t(`errors:sync.err.${report.syncError.code}`, { ...report.syncError.params }) })}</p> : null}
          {!report.configured ? (
            <p className="notice" data-testid="close-day-local">
              {t('day.local')}
            </p>
          ) : null}
          <table className="table day-table" data-testid="close-day-table">
            <thead>
              <tr>
                <th>{t('day.what')}</th>
                <th>{t('day.workstation')}</th>
                <th>{t('day.ledger')}</th>
                {report.configured ? <th>{t('day.server')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {ROWS.map((k) => {
                const differs = report.differences.includes(k);
                return (
                  <tr key={k} className={differs ? 'day-table__differs' : ''} data-testid={`close-day-row-${k}`} data-differs={differs ? 'yes' : 'no'}>
                    <th scope="row">{t(`day.${k}`)}</th>
                    <td>{cell(k, report.workstation, report.server?.cur ?? null)}</td>
                    <td>{cell(k, report.ledger, report.server?.cur ?? null)}</td>
                    {report.configured ? (
                      <td>
                        {cell(k, report.server, report.server?.cur ?? null)}
                        {differs ? <span className="day-table__flag"> ⚠ {t('day.differs')}</span> : null}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
              {report.configured ? (
                <tr>
                  <th scope="row">{t('day.share')}</th>
                  <td />
                  <td />
                  <td data-testid="close-day-share">{report.server ? formatMoney(report.server.share, report.server.cur ?? 'CNY', language) : '—'}</td>
                </tr>
              ) : null}
            </tbody>
          </table>
          {report.server && report.differences.length === 0 ? <p className="notice notice--ok">{t('day.allMatch')}</p> : null}
          <DayCampaigns campaigns={report.campaigns} language={language} />
          <OversoldList oversold={report.oversold} language={language} />
          <SummaryTables summary={report.lines} cur={report.server?.cur ?? 'CNY'} testId="close-day-lines" />
        </>
      ) : null}
      {closed.length ? (
        <div className="no-print" data-testid="closed-days">
          <h3 className="sync-subtitle">{t('day.history')}</h3>
          <ul className="sync-errors">
            {closed.slice(0, 31).map((d) => (
              <li key={d.day} data-testid="closed-day">
                <button type="button" className="button button--small button--ghost" onClick={() => setDay(d.day)}>
                  {d.day}
                </button>{' '}
                <span className="muted">{t('day.closedAt', { time: formatDateTime(d.closedAt, language) })}</span>
                {d.differences.length ? <span className="day-table__flag"> ⚠ {t('day.differsIn', { fields: d.differences.map((f) => t(`day.${f}`)).join(', ') })}</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
