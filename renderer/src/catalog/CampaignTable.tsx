/**
 * The campaigns as a table: for each, how it behaves offline (strict or
 * lenient), what is left for all the branches and as of when, the allotment
 * held here, units oversold, what this workstation used, dates and hours.
 */
import { useTranslation } from 'react-i18next';
import type { CampaignView } from '../../../preload/contract';
import { formatDay, isLocalMidnight } from './dates';
import { countedText, isSoldOut } from './stock';
import { sourceText } from './source';

type T = ReturnType<typeof useTranslation>['t'];

export function CampaignTable({ list, onEdit, onDelete }: { list: CampaignView[]; onEdit(c: CampaignView): void; onDelete(c: CampaignView): void }) {
  const { t, i18n } = useTranslation('catalog');
  const locale = i18n.language;
  const dates = (c: CampaignView) => {
    if (c.from === null && c.to === null) return t('campaigns.anyDate');
    const last = c.to === null ? null : formatDay(lastDayMs(c.to), locale);
    if (c.from === null) return t('campaigns.until', { to: last });
    if (last === null) return t('campaigns.fromOn', { from: formatDay(c.from, locale) });
    return t('campaigns.range', { from: formatDay(c.from, locale), to: last });
  };
  return (
    <div className="table-scroll">
      <table className="table campaign-table" data-testid="campaign-table">
        <thead>
          <tr>
            <th scope="col">{t('campaigns.id')}</th>
            <th scope="col">{t('campaigns.name')}</th>
            <th scope="col">{t('campaigns.mode.column')}</th>
            <th scope="col">{t('campaigns.left')}</th>
            <th scope="col" className="num">
              {t('campaigns.usedHere')}
            </th>
            <th scope="col">{t('campaigns.dates')}</th>
            <th scope="col">{t('campaigns.hours')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.map((c) => (
            <tr
              key={c.id}
              data-testid="campaign-row"
              data-id={c.id}
              data-used={c.used}
              data-stock={c.stock ?? ''}
              data-mode={c.mode}
              data-left={c.left ?? ''}
              data-held={c.held}
            >
              <td className="mono">{c.id}</td>
              <td>
                {c.name}
                <div className="small muted">{sourceText(c.source, t)}</div>
              </td>
              <td data-testid="campaign-row-mode">
                <ModeCell c={c} t={t} />
              </td>
              <td data-testid="campaign-row-left">
                <LeftCell c={c} t={t} locale={locale} />
              </td>
              <td className="num nowrap" data-testid="campaign-row-stock">
                {c.stock === null ? t('campaigns.usedNoLimit', { used: c.used }) : t('campaigns.usedOf', { used: c.used, stock: c.stock })}
              </td>
              <td className="small">{dates(c)}</td>
              <td className="nowrap" data-testid="campaign-row-hours">
                {c.hours ? c.hours.replace(/,/g, ', ') : t('campaigns.anyTime')}
              </td>
              <td className="actions">
                <button type="button" className="button button--small" data-testid="campaign-edit" onClick={() => onEdit(c)}>
                  {t('edit')}
                </button>{' '}
                <button type="button" className="button button--small button--danger-outline" data-testid="campaign-delete" onClick={() => onDelete(c)}>
                  {t('delete')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ModeCell({ c, t }: { c: CampaignView; t: T }) {
  return (
    <>
      <span className={`tag campaign-mode campaign-mode--${c.mode}`}>{t(`campaigns.mode.${c.mode}`)}</span>
      {c.modeBy === 'owner' ? (
        <div className="small muted" data-testid="campaign-row-mode-by-owner">
          {t('campaigns.mode.byOwner')}
        </div>
      ) : null}
      {/* Without allotments a strict campaign cannot refuse for want of them: say how it really behaves. */}
      {c.mode === 'strict' && !c.allotments && c.stock !== null ? (
        <div className="small muted" data-testid="campaign-row-acts-lenient">
          {t('campaigns.mode.actsLenient')}
        </div>
      ) : null}
    </>
  );
}

/** "163 of 200", as of when, held here, oversold, sold out. */
function LeftCell({ c, t, locale }: { c: CampaignView; t: T; locale: string }) {
  if (c.stock === null || c.left === null) return <span className="muted">{t('campaigns.leftNoLimit')}</span>;
  return (
    <>
      <span className="nowrap campaign-left" data-testid="campaign-row-left-count">
        {t('campaigns.leftOf', { left: c.left, stock: c.stock })}
      </span>
      {isSoldOut(c) ? (
        <span className="tag tag--bad" data-testid="campaign-row-sold-out">
          {t('campaigns.soldOut')}
        </span>
      ) : null}
      <div className="small muted" data-testid="campaign-row-counted">
        {countedText(c.countedAt, t, locale)}
      </div>
      {c.allotments || c.held > 0 ? (
        <div className="small" data-testid="campaign-row-held">
          {t('campaigns.held', { count: c.held })}
        </div>
      ) : null}
      {c.oversold > 0 ? (
        <span className="tag tag--bad campaign-oversold" title={t('campaigns.oversoldTitle')} data-testid="campaign-row-oversold">
          {t('campaigns.oversold', { count: c.oversold })}
        </span>
      ) : null}
    </>
  );
}

/** The last moment a campaign ending at `to` (exclusive) runs: the day before when `to` is a midnight. */
function lastDayMs(to: number): number {
  return isLocalMidnight(to) ? to - 1 : to;
}
