/** The referral report: vouchers issued and redeemed, conversion, per month and per member (Chart.js). */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReferralReport } from '../../../preload/contract';
import { useApp } from '../context';
import { errorText } from '../i18n';

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
    if (!r || !months.current || !members.current) return;
    const a = new Chart(months.current, {
      type: 'bar',
      data: {
        labels: r.perMonth.map((m) => m.month),
        datasets: [
          { type: 'bar', label: t('report.issued'), data: r.perMonth.map((m) => m.issued), backgroundColor: '#0b57d0', yAxisID: 'y' },
          { type: 'bar', label: t('report.redeemed'), data: r.perMonth.map((m) => m.redeemed), backgroundColor: '#0a6b2c', yAxisID: 'y' },
          { type: 'line', label: t('report.conversion'), data: r.perMonth.map((m) => Math.round(m.conversion * 100)), borderColor: '#c2410c', yAxisID: 'pct' },
        ],
      },
      options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true }, pct: { position: 'right', min: 0, max: 100 } } },
    });
    const top = r.perMember.slice(0, 20);
    const b = new Chart(members.current, {
      type: 'bar',
      data: {
        labels: top.map((m) => m.name || '—'),
        datasets: [
          { label: t('report.issued'), data: top.map((m) => m.issued), backgroundColor: '#0b57d0' },
          { label: t('report.redeemed'), data: top.map((m) => m.redeemed), backgroundColor: '#0a6b2c' },
        ],
      },
      options: { animation: false, responsive: true, maintainAspectRatio: false, indexAxis: 'y' },
    });
    return () => {
      a.destroy();
      b.destroy();
    };
  }, [r, t]);
  if (!r) return <section className="panel">{error ? <p className="form-error">{error}</p> : '…'}</section>;
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
      <div className="crm-chart">
        <canvas ref={months} data-testid="crm-chart-months" />
      </div>
      <h3>{t('report.perMember')}</h3>
      <div className="crm-chart crm-chart--tall">
        <canvas ref={members} />
      </div>
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
