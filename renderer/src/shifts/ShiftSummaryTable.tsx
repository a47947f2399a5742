/** A shift's summary per cashier: redemptions, units, value, undos with their reasons, refused scans by verdict. */
import { useTranslation } from 'react-i18next';
import type { ShiftCount, ShiftSummary } from '../../../preload/contract';
import { formatWhen } from '../format';
import { formatMoney } from '../money';

const CUR = 'CNY';

export function ShiftSummaryTable({ summary }: { summary: ShiftSummary }) {
  const { t, i18n } = useTranslation('shifts');
  const locale = i18n.language;
  const money = (fen: number) => formatMoney(fen, CUR, locale);
  const count = (c: ShiftCount | null) =>
    c ? t('countLine', { vouchers: c.vouchers ?? '—', cash: c.cash === null ? '—' : money(c.cash) }) : t('notCounted');
  const { shift, cashiers, totals } = summary;
  return (
    <div className="shift-summary" data-testid="shift-summary" data-shift-id={shift.id}>
      <dl className="facts">
        <dt>{t('opening')}</dt>
        <dd data-testid="shift-opening">{count(shift.opening)}</dd>
        {shift.closedAt !== null ? (
          <>
            <dt>{t('closing')}</dt>
            <dd data-testid="shift-closing">{count(shift.closing)}</dd>
          </>
        ) : null}
      </dl>
      {cashiers.length === 0 ? (
        <p className="muted">{t('nothing')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('cashier')}</th>
                <th scope="col" className="num">
                  {t('redemptions')}
                </th>
                <th scope="col" className="num">
                  {t('units')}
                </th>
                <th scope="col" className="num">
                  {t('value')}
                </th>
                <th scope="col">{t('undos')}</th>
                <th scope="col">{t('refusals')}</th>
              </tr>
            </thead>
            <tbody>
              {cashiers.map((c) => (
                <tr key={c.cashier} data-testid="shift-cashier" data-cashier={c.cashier}>
                  <td>{c.cashier}</td>
                  <td className="num" data-testid="shift-redemptions">
                    {c.redemptions}
                  </td>
                  <td className="num" data-testid="shift-units">
                    {c.units}
                  </td>
                  <td className="num nowrap">{money(c.value)}</td>
                  <td data-testid="shift-undos">
                    {c.undos.map((u) => (
                      <div key={u.eventId}>
                        {t('undoLine', {
                          time: formatWhen(u.at, locale),
                          reason: u.code ? [t(`reason.${u.code}`), u.text].filter(Boolean).join(': ') : u.text,
                        })}
                      </div>
                    ))}
                  </td>
                  <td data-testid="shift-refusals">
                    {Object.entries(c.refusals).map(([verdict, n]) => (
                      <div key={verdict}>{t('refusalLine', { verdict: t(`verdict.${verdict}`), count: n })}</div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr data-testid="shift-totals">
                <th scope="row">{t('total')}</th>
                <td className="num">{totals.redemptions}</td>
                <td className="num">{totals.units}</td>
                <td className="num nowrap">{money(totals.value)}</td>
                <td>{totals.undos}</td>
                <td>{totals.refusals}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </div>
  );
}
