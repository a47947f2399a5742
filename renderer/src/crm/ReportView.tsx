/** The referral report: vouchers issued and redeemed, conversion, per month and per member (Chart.js). */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReferralReport } from '../../../preload/contract';
import { useApp } from '../context';
import { errorText } from '../i18n';
import { hasMonthData, membersChart, monthsChart, topMembers } from './reportCharts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

const pct = (x: number) => `${Math.round(x * 100)}%`;

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
    const words = { issued: t('report.issued'), redeemed: t('report.redeemed'), conversion: t('report.conversion') };
    const charts: Chart[] = [];
    const a = monthsChart(r, words);
    const b = membersChart(r, words);
    if (months.current && a) charts.push(new Chart(months.current, a));
    if (members.current && b) charts.push(new Chart(members.current, b));
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
