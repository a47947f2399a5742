/**
 * A campaign's stock as the Catalog screen shows it (issue 15): what is left for
 * all the branches as the last sync counted it, or as this workstation alone
 * counts it when no server has counted yet.
 */
import type { useTranslation } from 'react-i18next';
import type { CampaignView } from '../../../preload/contract';

/** Nothing left of a campaign with a stock (the core's `left`, not this workstation's `used`). */
export function isSoldOut(c: Pick<CampaignView, 'left'>): boolean {
  return c.left !== null && c.left <= 0;
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** When the server last counted: "14:05" today, "Nov 29, 14:05" another day. */
export function countedAtText(ms: number, locale: string, now: number = Date.now()): string {
  const d = new Date(ms);
  const time: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  const opts: Intl.DateTimeFormatOptions = sameDay(d, new Date(now)) ? time : { month: 'short', day: 'numeric', ...time };
  return new Intl.DateTimeFormat(locale, opts).format(d);
}

/** "as of the last sync 14:05", or "counted on this workstation only" before any count (the Catalog and close of day). */
export function countedText(countedAt: number | null, t: ReturnType<typeof useTranslation>['t'], locale: string): string {
  return countedAt !== null ? t('catalog:campaigns.asOfSync', { time: countedAtText(countedAt, locale) }) : t('catalog:campaigns.localOnly');
}

/**
 * Whether the platform shares stock by allotments (protocol 2). The core says it
 * per campaign; it is the workstation's server that decides, so any one says it.
 */
export function platformSharesStock(list: readonly Pick<CampaignView, 'allotments'>[]): boolean {
  return list.some((c) => c.allotments);
}
