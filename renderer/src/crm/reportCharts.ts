/**
 * The referral report's two charts as Chart.js configurations, or null when
 * there is nothing to draw (the page then says "no data yet" instead of an
 * empty chart). Counts are whole vouchers, so their axes have no half steps;
 * all text is at least 12 px, readable from a step back.
 */
import type { ChartConfiguration } from 'chart.js';
import type { ReferralReport } from '../../../preload/contract';

/** The chart's text size in px. */
export const CHART_FONT = { size: 13 };
const COUNT_TICKS = { precision: 0, font: CHART_FONT };
const LEGEND = { labels: { font: CHART_FONT } };

export interface ChartWords {
  issued: string;
  redeemed: string;
  conversion: string;
}

/** The members on the chart: the top 20 who have had a welcome voucher. */
export const topMembers = (r: ReferralReport) => r.perMember.slice(0, 20).filter((m) => m.issued > 0 || m.redeemed > 0);

/** True when some month has a voucher issued or redeemed. */
export const hasMonthData = (r: ReferralReport) => r.perMonth.some((m) => m.issued > 0 || m.redeemed > 0);

/** Issued and redeemed per month, with the conversion; null when no month has any. */
export function monthsChart(r: ReferralReport, w: ChartWords): ChartConfiguration | null {
  if (!hasMonthData(r)) return null;
  return {
    type: 'bar',
    data: {
      labels: r.perMonth.map((m) => m.month),
      datasets: [
        { type: 'bar', label: w.issued, data: r.perMonth.map((m) => m.issued), backgroundColor: '#0b57d0', yAxisID: 'y' },
        { type: 'bar', label: w.redeemed, data: r.perMonth.map((m) => m.redeemed), backgroundColor: '#0a6b2c', yAxisID: 'y' },
        { type: 'line', label: w.conversion, data: r.perMonth.map((m) => Math.round(m.conversion * 100)), borderColor: '#c2410c', yAxisID: 'pct' },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: LEGEND },
      scales: {
        x: { ticks: { font: CHART_FONT } },
        y: { beginAtZero: true, ticks: COUNT_TICKS },
        pct: { position: 'right', min: 0, max: 100, ticks: { font: CHART_FONT, callback: (v) => `${v}%` } },
      },
    },
  };
}

/** Issued and redeemed per member (top 20); null when nobody has had one. */
export function membersChart(r: ReferralReport, w: ChartWords): ChartConfiguration | null {
  const top = topMembers(r);
  if (!top.length) return null;
  return {
    type: 'bar',
    data: {
      labels: top.map((m) => m.name || '—'),
      datasets: [
        { label: w.issued, data: top.map((m) => m.issued), backgroundColor: '#0b57d0' },
        { label: w.redeemed, data: top.map((m) => m.redeemed), backgroundColor: '#0a6b2c' },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: 'y',
      plugins: { legend: LEGEND },
      scales: { x: { beginAtZero: true, ticks: COUNT_TICKS }, y: { ticks: { font: CHART_FONT } } },
    },
  };
}
