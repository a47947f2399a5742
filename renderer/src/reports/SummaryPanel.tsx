/** The summary of a day or a period (days in the merchant's zone), for everyone or one cashier, and its export. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Summary } from '../../../preload/contract';
import { dayOf, dayWindow } from '../../../common/time/day';
import { Field } from '../components/Field';
import { useApp } from '../context';
import { errorText } from '../i18n';
import { ExportButtons } from './ExportButtons';
import type { Choices } from './ReportsScreen';
import { SummaryTables } from './SummaryTables';

export function SummaryPanel({ zone, choices, onMessage }: { zone: string; choices: Choices; onMessage(m: { ok: boolean; text: string }): void }) {
  const { api } = useApp();
  const { t } = useTranslation('reports');
  const today = dayOf(Date.now(), zone);
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const [cashier, setCashier] = useState('');
  const [summary, setSummary] = useState<Summary | null>(null);

  const window = useCallback(() => {
    const a = dayWindow(from, zone).from;
    const b = dayWindow(to < from ? from : to, zone).to;
    return cashier ? { from: a, to: b, cashier } : { from: a, to: b };
  }, [from, to, cashier, zone]);

  const show = useCallback(async () => {
    try {
      setSummary(await api.call('reports.summary', window()));
    } catch (e) {
      onMessage({ ok: false, text: errorText(t, e) });
    }
  }, [api, window, onMessage, t]);

  useEffect(() => {
    void show();
    // Shown once for today; then on Show.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [zone]);

  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to);
  return (
    <section className="panel" data-testid="report-summary">
      <h2 className="panel__title">{t('summary.title')}</h2>
      <form
        className="inline-form report-filters"
        aria-label={t('summary.title')}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          if (valid) void show();
        }}
      >
        <Field label={t('summary.from')}>
          <input className="input" type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="summary-from" />
        </Field>
        <Field label={t('summary.to')}>
          <input className="input" type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="summary-to" />
        </Field>
        <Field label={t('summary.cashier')}>
          <select className="input" value={cashier} onChange={(e) => setCashier(e.target.value)} data-testid="summary-cashier">
            <option value="">{t('summary.all')}</option>
            {choices.cashiers.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" className="button button--primary" disabled={!valid} data-testid="summary-show">
          {t('summary.show')}
        </button>
      </form>
      {valid ? <ExportButtons report={{ summary: window() }} onMessage={onMessage} testId="summary-export" /> : null}
      {summary ? <SummaryTables summary={summary} /> : null}
    </section>
  );
}
