/**
 * Close of day: this workstation's redemptions the platform reported beyond a
 * campaign's stock (issue 15; lenient campaigns, or offline beyond the
 * allotment), each once. Nothing is shown on a day without any.
 */
import { useTranslation } from 'react-i18next';
import type { CloseDayReport } from '../../../preload/contract';
import { formatWhen } from '../format';

export function OversoldList({ oversold, language }: { oversold: CloseDayReport['oversold'] | undefined; language: string }) {
  const { t } = useTranslation('sync');
  if (!oversold?.length) return null;
  const total = oversold.reduce((n, o) => n + o.units, 0);
  return (
    <div className="day-oversold" data-testid="close-day-oversold" data-units={total}>
      <h3 className="sync-subtitle">{t('day.oversold.title')}</h3>
      <p className="small muted">{t('day.oversold.hint')}</p>
      <table className="table day-oversold__table">
        <thead>
          <tr>
            <th scope="col">{t('day.oversold.campaign')}</th>
            <th scope="col">{t('day.oversold.time')}</th>
            <th scope="col" className="num">
              {t('day.oversold.units')}
            </th>
          </tr>
        </thead>
        <tbody>
          {oversold.map((o) => (
            <tr key={o.eventId} data-testid="close-day-oversold-row" data-campaign={o.campaign ?? ''} data-units={o.units}>
              <td className="mono">{o.campaign ?? t('day.oversold.noCampaign')}</td>
              <td>{formatWhen(o.at, language)}</td>
              <td className="num">{o.units}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
