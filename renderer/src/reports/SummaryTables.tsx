/** A summary's lines: per product and per cashier, with the totals (the Reports screen and the close of day). */
import { useTranslation } from 'react-i18next';
import type { Summary, SummaryCounts } from '../../../preload/contract';
import { wallTime } from '../../../common/time/day';
import { useApp } from '../context';
import { formatMoney } from '../format';

function Cells({ c, cur }: { c: SummaryCounts; cur: string }) {
  const { language } = useApp();
  return (
    <>
      <td>{c.redemptions}</td>
      <td>{c.reversals}</td>
      <td>{c.units}</td>
      <td>{formatMoney(c.value, cur, language)}</td>
    </>
  );
}

export function SummaryTables({ summary, cur = 'CNY', testId = 'summary' }: { summary: Summary; cur?: string; testId?: string }) {
  const { t } = useTranslation('reports');
  const head = (first: string) => (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        <th scope="col">{t('summary.redemptions')}</th>
        <th scope="col">{t('summary.reversals')}</th>
        <th scope="col">{t('summary.units')}</th>
        <th scope="col">{t('summary.value')}</th>
      </tr>
    </thead>
  );
  const total = (
    <tr className="report-table__total">
      <th scope="row">{t('summary.total')}</th>
      <Cells c={summary.totals} cur={cur} />
    </tr>
  );
  return (
    <div className="report-summary" data-testid={testId}>
      <p className="muted" data-testid={`${testId}-window`}>
        {t('summary.window', { from: wallTime(summary.from, summary.timeZone), to: wallTime(summary.to, summary.timeZone), zone: summary.timeZone })}
      </p>
      {summary.products.length === 0 ? <p className="muted">{t('summary.empty')}</p> : null}
      <div className="report-summary__tables">
        <div className="table-scroll">
          <table className="table report-table" data-testid={`${testId}-products`}>
            <caption>{t('summary.products')}</caption>
            {head(t('summary.product'))}
            <tbody>
              {summary.products.map((p) => (
                <tr key={p.sku ?? ''} data-testid={`${testId}-product`} data-sku={p.sku ?? ''}>
                  <th scope="row">{p.product ?? p.sku ?? t('summary.unknownProduct')}</th>
                  <Cells c={p} cur={cur} />
                </tr>
              ))}
              {total}
            </tbody>
          </table>
        </div>
        <div className="table-scroll">
          <table className="table report-table" data-testid={`${testId}-cashiers`}>
            <caption>{t('summary.cashiers')}</caption>
            {head(t('summary.cashier'))}
            <tbody>
              {summary.cashiers.map((c) => (
                <tr key={c.cashier ?? ''} data-testid={`${testId}-cashier`} data-cashier={c.cashier ?? ''}>
                  <th scope="row">{c.cashier ?? t('summary.noCashier')}</th>
                  <Cells c={c} cur={cur} />
                </tr>
              ))}
              {total}
            </tbody>
          </table>
        </div>
      </div>
      {summary.totals.conflicts ? <p className="notice">{t('summary.conflicts', { count: summary.totals.conflicts })}</p> : null}
      {summary.totals.valueComplete ? null : <p className="muted">{t('summary.incomplete')}</p>}
    </div>
  );
}
