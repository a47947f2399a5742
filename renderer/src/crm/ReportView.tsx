/** The referral report: vouchers issued and redeemed, conversion, per month and per member (Chart.js). */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReferralReport } from '../../../preload/contract';
import { useApp } from '../context';
import { errorText } from '../i18n';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** Text on the charts is read from a step back: never under 12 px. */
const FONT = { size: 13 };
/** Counts are whole vouchers: no half steps on their axes. */
const COUNT_TICKS = { precision: 0, font: FONT };
const LEGEND = { labels: { font: FONT } };

/** The months with something to draw; none means no chart, but words. */
const hasMonthData = (r: ReferralReport) => r.perMonth.some((m) => m.issued > 0 || m.redeemed > 0);
/** The members on the chart: the top 20 who have had a welcome voucher. */
const topMembers = (r: ReferralReport) => r.perMember.slice(0, 20).filter((m) => m.issued > 0 || m.redeemed > 0);

export function ReportView() {
  const { api } = useApp();
  const { t } = useTranslation('crm');
  const [r, setR] = useState<ReferralReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const load = () => api.call('crm.report', {}).then(setR, (e: unknown) => setError(errorText(t, e)));
    void load();
    return api.on('crm.changed', () => void load());
  }, [api, t]);
  const months = useRef<HTMLCanvasElement>(null);
  const members = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!r) return;
    const charts: Chart[] = [];
    const top = topMembers(r);
    if (months.current && hasMonthData(r)) charts.push(new Chart(months.current, {
      type: 'bar',
      data: {
        labels: r.perMonth.map((m) => m.month),
        datasets: [
          { type: 'bar', label: t('report.issued'), data: r.perMonth.map((m) => m.issued), backgroundColor: '#0b57d0', yAxisID: 'y' },
          { type: 'bar', label: t('report.redeemed'), data: r.perMonth.map((m) => m.redeemed), backgroundColor: '#0a6b2c', yAxisID: 'y' },
          { type: 'line', label: t('report.conversion'), data: r.perMonth.map((m) => Math.round(m.conversion * 100)), borderColor: '#c2410c', yAxisID: 'pct' },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: LEGEND },
        scales: {
          x: { ticks: { font: FONT } },
          y: { beginAtZero: true, ticks: COUNT_TICKS },
          pct: { position: 'right', min: 0, max: 100, ticks: { font: FONT, callback: (v) => `${v}%` } },
        },
      },
    }));
    if (members.current && top.length) charts.push(new Chart(members.current, {
      type: 'bar',
      data: {
        labels: top.map((m) => m.name || '—'),
        datasets: [
          { label: t('report.issued'), data: top.map((m) => m.issued), backgroundColor: '#0b57d0' },
          { label: t('report.redeemed'), data: top.map((m) => m.redeemed), backgroundColor: '#0a6b2c' },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: 'y',
        plugins: { legend: LEGEND },
        scales: { x: { beginAtZero: true, ticks: COUNT_TICKS }, y: { ticks: { font: FONT } } },
      },
    }));
    return () => {
      for (const c of charts) c.destroy();
    };
  }, [r, t]);
  if (!r) return <section className="panel">{error ? <p className="form-error">{error}</p> : '…'}</section>;
  const hasMonths = hasMonthData(r);
  const top = topMembers(r);
  return (
    <section className="panel" data-testid="crm-report" data-issued={r.totals.issued} data-redeemed={r.totals.redeemed}>
      <h2 className="panel__title">{t('report.title')}</h2>
      <dl className="crm-figures">
        <div>
          <dt>{t('report.issued')}</dt>
          <dd>{r.totals.issued}</dd>
        </div>
        <div>
          <dt>{t('report.redeemed')}</dt>
          <dd>{r.totals.redeemed}</dd>
        </div>
        <div>
          <dt>{t('report.conversion')}</dt>
          <dd>{pct(r.totals.conversion)}</dd>
        </div>
        <div>
          <dt>{t('report.rewards')}</dt>
          <dd>{r.totals.rewards}</dd>
        </div>
      </dl>
      <h3>{t('report.perMonth')}</h3>
      {hasMonths ? (
        <div className="crm-chart">
          <canvas ref={months} data-testid="crm-chart-months" />
        </div>
      ) : (
        <p className="muted" data-testid="crm-chart-empty">
          {t('report.noData')}
        </p>
      )}
      <h3>{t('report.perMember')}</h3>
      {top.length ? (
        <div className="crm-chart crm-chart--tall">
          <canvas ref={members} data-testid="crm-chart-members" />
        </div>
      ) : (
        <p className="muted" data-testid="crm-chart-empty">
          {t('report.noData')}
        </p>
      )}
      <table className="table">
        <thead>
          <tr>
            <th>{t('report.member')}</th>
            <th className="num">{t('report.issued')}</th>
            <th className="num">{t('report.redeemed')}</th>
            <th className="num">{t('report.conversion')}</th>
          </tr>
        </thead>
        <tbody>
          {r.perMember.slice(0, 50).map((m) => (
            <tr key={m.id}>
              <td>{m.name || '—'}</td>
              <td className="num">{m.issued}</td>
              <td className="num">{m.redeemed}</td>
              <td className="num">{pct(m.conversion)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
