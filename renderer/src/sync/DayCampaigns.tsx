/**
 * Close of day: the campaigns with a stock that ran today and what is left of
 * each for all branches, as the platform counted it once this branch gave its
 * share back (issue 15). Nothing is shown on a day without any.
 */
import { useTranslation } from 'react-i18next';
import type { CloseDayReport } from '../../../preload/contract';
import { countedText, isSoldOut } from '../catalog/stock';

export function DayCampaigns({ campaigns, language }: { campaigns: CloseDayReport['campaigns'] | undefined; language: string }) {
  const { t } = useTranslation(['sync', 'catalog']);
  if (!campaigns?.length) return null;
  return (
    <div className="day-campaigns" data-testid="close-day-campaigns">
      <h3 className="sync-subtitle">{t('day.campaigns.title')}</h3>
      <p className="small muted">{t('day.campaigns.hint')}</p>
      <table className="table day-campaigns__table">
        <thead>
          <tr>
            <th scope="col">{t('day.campaigns.campaign')}</th>
            <th scope="col">{t('catalog:campaigns.mode.column')}</th>
            <th scope="col">{t('catalog:campaigns.left')}</th>
          </tr>
        </thead>
        <tbody>
          {campaigns.map((c) => (
            <tr key={c.id} data-testid="close-day-campaign" data-id={c.id} data-left={c.left}>
              <td>
                {c.name} <span className="small muted mono">{c.id}</span>
              </td>
              <td>{t(`catalog:campaigns.mode.${c.mode}`)}</td>
              <td>
                <span className="nowrap" data-testid="close-day-campaign-left">
                  {t('catalog:campaigns.leftOf', { left: c.left, stock: c.stock })}
                </span>
                {isSoldOut(c) ? <span className="tag tag--bad"> {t('catalog:campaigns.soldOut')}</span> : null}
                <div className="small muted" data-testid="close-day-campaign-counted">
                  {countedText(c.countedAt, t, language)}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
