/**
 * The shift: the one open on this workstation with its summary so far, opening
 * one (optional counts of paper vouchers and cash), closing it (a manager) with
 * the summary per cashier, and past shifts. A hand over is a close, then the next
 * person opens theirs.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ShiftSummary, ShiftView } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { Field } from '../components/Field';
import { MoneyInput } from '../components/MoneyInput';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { formatDateTime } from '../format';
import { ShiftSummaryTable } from './ShiftSummaryTable';
import { SummarySlipButton } from '../redeem/SummarySlipButton';

interface Counts {
  vouchers: string;
  cash: number | null;
}

const NO_COUNTS: Counts = { vouchers: '', cash: null };

/** The counts as the core takes them: what was typed, nothing when nothing was. */
function countOf(c: Counts): { vouchers?: number; cash?: number } | undefined {
  const vouchers = c.vouchers.trim() === '' ? undefined : Number(c.vouchers);
  const out = { ...(vouchers !== undefined && Number.isInteger(vouchers) && vouchers >= 0 ? { vouchers } : {}), ...(c.cash !== null ? { cash: c.cash } : {}) };
  return Object.keys(out).length ? out : undefined;
}

function CountFields({ counts, onChange, prefix }: { counts: Counts; onChange(c: Counts): void; prefix: string }) {
  const { t } = useTranslation('shifts');
  return (
    <div className="inline-form">
      <Field label={t('countVouchers')}>
        <input
          className="input input--number"
          type="number"
          min={0}
          step={1}
          value={counts.vouchers}
          onChange={(e) => onChange({ ...counts, vouchers: e.currentTarget.value })}
          data-testid={`${prefix}-vouchers`}
        />
      </Field>
      <Field label={t('countCash')}>
        <MoneyInput value={counts.cash} cur="CNY" optional onChange={(cash) => onChange({ ...counts, cash })} testId={`${prefix}-cash`} />
      </Field>
    </div>
  );
}

export function ShiftScreen() {
  const { api } = useApp();
  const admin = useAdmin();
  const { t, i18n } = useTranslation('shifts');
  const locale = i18n.language;
  const [current, setCurrent] = useState<ShiftView | null>(null);
  const [sofar, setSofar] = useState<ShiftSummary | null>(null);
  const [closed, setClosed] = useState<ShiftSummary | null>(null);
  const [past, setPast] = useState<ShiftView[]>([]);
  const [shown, setShown] = useState<ShiftSummary | null>(null);
  const [opening, setOpening] = useState<Counts>(NO_COUNTS);
  const [closing, setClosing] = useState<Counts>(NO_COUNTS);
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, run } = useAction();

  const load = useCallback(async () => {
    const open = await api.call('shift.current', {});
    setCurrent(open);
    setSofar(open ? await api.call('shift.summary', { id: open.id }) : null);
    setPast((await api.call('shift.list', { limit: 30 })).filter((s) => s.closedAt !== null));
  }, [api]);

  useEffect(() => {
    void run(load);
  }, [load, run]);
  useEffect(() => api.on('ledger.changed', () => void run(load)), [api, load, run]);

  async function open() {
    setNotice(null);
    await run(async () => {
      const done = await withAdmin(admin, (adminToken) => api.call('shift.open', { adminToken, count: countOf(opening) }));
      if (!done) return;
      setOpening(NO_COUNTS);
      setClosed(null);
      setNotice(t('opened'));
      await load();
    });
  }

  async function close() {
    setNotice(null);
    await run(async () => {
      const summary = await withAdmin(admin, (adminToken) => api.call('shift.close', { adminToken, count: countOf(closing) }));
      if (!summary) return;
      setClosing(NO_COUNTS);
      setClosed(summary);
      setNotice(t('closed'));
      await load();
    });
  }

  async function toggle(id: string) {
    if (shown?.shift.id === id) return setShown(null);
    await run(async () => setShown(await api.call('shift.summary', { id })));
  }

  return (
    <div className="shifts" data-testid="shift-screen">
      <h1 className="screen-title">{t('title')}</h1>
      {notice ? (
        <p className="notice notice--ok" role="status" data-testid="shift-notice">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert" data-testid="shift-error">
          {error}
        </p>
      ) : null}

      {closed ? (
        <section className="panel" data-testid="shift-closed">
          <h2 className="panel__title">{t('summaryTitle')}</h2>
          <ShiftSummaryTable summary={closed} />
          <SummarySlipButton slip={{ shiftId: closed.shift.id }} />
        </section>
      ) : null}

      {current ? (
        <section className="panel" data-testid="shift-current">
          <h2 className="panel__title">{t('current')}</h2>
          <p data-testid="shift-opened-by">{t('openedBy', { name: current.openedBy, time: formatDateTime(current.openedAt, locale) })}</p>
          {sofar ? (
            <>
              <h3 className="field__label">{t('summaryOpen')}</h3>
              <ShiftSummaryTable summary={sofar} />
            </>
          ) : null}
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void close();
            }}
          >
            <h3 className="field__label">{t('closeTitle')}</h3>
            <p className="field__hint">{t('closeHint')}</p>
            <CountFields counts={closing} onChange={setClosing} prefix="shift-close" />
            <button type="submit" className="button button--primary" disabled={busy} data-testid="shift-close">
              {t('close')}
            </button>
          </form>
        </section>
      ) : (
        <form
          className="panel"
          data-testid="shift-none"
          onSubmit={(e) => {
            e.preventDefault();
            void open();
          }}
        >
          <h2 className="panel__title">{t('openTitle')}</h2>
          <p className="muted">{t('none')}</p>
          <p className="field__hint">{t('openHint')}</p>
          <CountFields counts={opening} onChange={setOpening} prefix="shift-open" />
          <button type="submit" className="button button--primary" disabled={busy} data-testid="shift-open">
            {t('open')}
          </button>
        </form>
      )}

      <section className="panel">
        <h2 className="panel__title">{t('past')}</h2>
        {past.length === 0 ? <p className="muted">{t('pastEmpty')}</p> : null}
        <table className="table" hidden={past.length === 0}>
          <thead>
            <tr>
              <th scope="col">{t('from')}</th>
              <th scope="col">{t('to')}</th>
              <th scope="col">{t('by')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('show')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {past.map((s) => (
              <tr key={s.id} data-testid="shift-past" data-shift-id={s.id}>
                <td className="nowrap">{formatDateTime(s.openedAt, locale)}</td>
                <td className="nowrap">{s.closedAt !== null ? formatDateTime(s.closedAt, locale) : '—'}</td>
                <td>{[s.openedBy, s.closedBy].filter(Boolean).join(' / ')}</td>
                <td className="actions">
                  <button type="button" className="button button--small" onClick={() => void toggle(s.id)} data-testid="shift-past-show">
                    {shown?.shift.id === s.id ? t('hide') : t('show')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {shown ? <ShiftSummaryTable summary={shown} /> : null}
      </section>
    </div>
  );
}
