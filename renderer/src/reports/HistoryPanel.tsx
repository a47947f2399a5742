/** The full history with its filters (days in the merchant's zone, cashier, product, voucher id, member, type), a page at a time, and its export. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { HISTORY_KINDS, type HistoryFilter, type HistoryKind, type ReportEntry } from '../../../preload/contract';
import { dayWindow, wallTime } from '../../../common/time/day';
import { maskId } from '../../../common/people/mask';
import { Field } from '../components/Field';
import { useApp } from '../context';
import { formatMoney } from '../format';
import { errorText } from '../i18n';
import type { Choices } from './ReportsScreen';
import { ExportButtons } from './ExportButtons';

const PAGE = 50;

interface Form {
  from: string;
  to: string;
  cashier: string;
  sku: string;
  voucher: string;
  member: string;
  kind: '' | HistoryKind;
}
const EMPTY: Form = { from: '', to: '', cashier: '', sku: '', voucher: '', member: '', kind: '' };

function toFilter(f: Form, zone: string): HistoryFilter {
  const out: HistoryFilter = {};
  if (f.from) out.from = dayWindow(f.from, zone).from;
  if (f.to) out.to = dayWindow(f.to, zone).to;
  if (f.cashier) out.cashier = f.cashier;
  if (f.sku) out.sku = f.sku;
  if (f.voucher.trim()) out.voucher = f.voucher.trim();
  if (f.member.trim()) out.member = f.member.trim();
  if (f.kind) out.kind = f.kind;
  return out;
}

export function HistoryPanel({ zone, choices, onMessage }: { zone: string; choices: Choices; onMessage(m: { ok: boolean; text: string }): void }) {
  const { api, language } = useApp();
  const { t } = useTranslation('reports');
  const [form, setForm] = useState<Form>(EMPTY);
  const [filter, setFilter] = useState<HistoryFilter>({});
  const [rows, setRows] = useState<ReportEntry[]>([]);
  const [next, setNext] = useState<{ at: number; seq: number } | null>(null);
  const set = (k: keyof Form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  const load = useCallback(
    async (f: HistoryFilter, after?: { at: number; seq: number }) => {
      try {
        const page = await api.call('reports.history', { ...f, limit: PAGE, ...(after ? { after } : {}) });
        setRows((r) => (after ? [...r, ...page.entries] : page.entries));
        setNext(page.next);
      } catch (e) {
        onMessage({ ok: false, text: errorText(t, e) });
      }
    },
    [api, onMessage, t],
  );

  useEffect(() => {
    void load(filter);
  }, [filter, load]);
  useEffect(() => api.on('ledger.changed', () => void load(filter)), [api, filter, load]);

  const search = (e: FormEvent) => {
    e.preventDefault();
    setFilter(toFilter(form, zone));
  };

  const amount = (r: ReportEntry) => (r.kind === 'value' ? formatMoney(r.amount ?? 0, r.cur ?? 'CNY', language) : String(r.units ?? ''));

  return (
    <section className="panel" data-testid="report-history">
      <h2 className="panel__title">{t('history.title')}</h2>
      <form className="inline-form report-filters" onSubmit={search} aria-label={t('history.title')}>
        <Field label={t('history.from')}>
          <input className="input" type="date" value={form.from} onChange={set('from')} data-testid="history-from" />
        </Field>
        <Field label={t('history.to')}>
          <input className="input" type="date" value={form.to} onChange={set('to')} data-testid="history-to" />
        </Field>
        <Field label={t('history.cashier')}>
          <select className="input" value={form.cashier} onChange={set('cashier')} data-testid="history-cashier">
            <option value="">{t('history.any')}</option>
            {choices.cashiers.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('history.product')}>
          <select className="input" value={form.sku} onChange={set('sku')} data-testid="history-product">
            <option value="">{t('history.any')}</option>
            {choices.products.map((p) => (
              <option key={p.sku} value={p.sku}>
                {p.name ?? p.sku}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('history.voucher')} hint={t('history.voucherHint')}>
          <input className="input" value={form.voucher} maxLength={200} onChange={set('voucher')} data-testid="history-voucher" />
        </Field>
        <Field label={t('history.member')}>
          <input className="input" value={form.member} maxLength={200} onChange={set('member')} data-testid="history-member" />
        </Field>
        <Field label={t('history.kind')}>
          <select className="input" value={form.kind} onChange={set('kind')} data-testid="history-kind">
            <option value="">{t('history.any')}</option>
            {HISTORY_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`history.kinds.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        <div className="button-row">
          <button type="submit" className="button button--primary" data-testid="history-search">
            {t('history.search')}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setForm(EMPTY);
              setFilter({});
            }}
          >
            {t('history.clear')}
          </button>
        </div>
      </form>
      <ExportButtons report={{ history: filter }} onMessage={onMessage} testId="history-export" />
      <p className="muted">
        {t('history.count', { count: rows.length })} · {t('zone.times', { zone })}
      </p>
      {rows.length === 0 ? (
        <p className="muted" data-testid="history-none">
          {t('history.none')}
        </p>
      ) : (
        <div className="table-scroll report-history">
          <table className="table" data-testid="report-table">
            <thead>
              <tr>
                <th scope="col">{t('history.time')}</th>
                <th scope="col">{t('history.kind')}</th>
                <th scope="col">{t('history.product')}</th>
                <th scope="col">{t('history.units')}</th>
                <th scope="col">{t('history.cashier')}</th>
                <th scope="col">{t('history.voucher')}</th>
                <th scope="col">{t('history.member')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-testid="report-row" data-sku={r.sku ?? ''} data-cashier={r.cashier ?? ''} data-type={r.type}>
                  <td className="nowrap">{wallTime(r.at, zone)}</td>
                  <td>
                    {t(`history.kinds.${r.type}`)}
                    {r.reversedBy ? <span className="muted"> ({t('history.undone')})</span> : null}
                    {r.conflict ? <span className="notice"> {t('history.conflict')}: {t(`history.conflicts.${r.conflict}`)}</span> : null}
                    {r.remote ? <span className="muted"> · {t('history.otherBranch')}</span> : null}
                  </td>
                  <td>{r.product ?? r.sku ?? '—'}</td>
                  <td>{amount(r)}</td>
                  <td>{r.cashier ?? '—'}</td>
                  <td className="mono">{r.jti ?? '—'}</td>
                  <td className="mono">{r.member ? maskId(r.member) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next ? (
        <button type="button" className="button" onClick={() => void load(filter, next)} data-testid="history-more">
          {t('history.more')}
        </button>
      ) : null}
    </section>
  );
}
