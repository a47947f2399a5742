/**
 * Issue 15 on the screens: the counter's words for a campaign sold out at this
 * branch (strict, offline, allotment used up) and the campaign line's `left`;
 * the Catalog's table with a campaign's mode, stock left as of the last sync,
 * the allotment held here and units oversold; close of day's oversold
 * redemptions; in English and Chinese.
 */
import i18next from 'i18next';
import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import type { CampaignView, RedeemResult } from '../../preload/contract';
import { CampaignTable } from '../../renderer/src/catalog/CampaignTable';
import { countedAtText, isSoldOut } from '../../renderer/src/catalog/stock';
import { i18nOptions } from '../../renderer/src/i18n';
import { VerdictPanel } from '../../renderer/src/redeem/VerdictPanel';
import { OversoldList } from '../../renderer/src/sync/OversoldList';
import { DayCampaigns } from '../../renderer/src/sync/DayCampaigns';

async function render(language: string, element: ReactElement): Promise<string> {
  const i18n = i18next.createInstance();
  await i18n.init(i18nOptions(language));
  return renderToStaticMarkup(createElement(I18nextProvider, { i18n }, element));
}

/** The text inside the element with data-testid `id` (tags stripped, entities of the texts here decoded). */
function textOf(html: string, id: string): string | null {
  const m = new RegExp(`data-testid="${id}"[^>]*>(.*?)</(?:div|li|span|td)>`, 's').exec(html);
  return m ? m[1]!.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&#x27;/g, "'").replace(/&quot;/g, '"') : null;
}

const CAMPAIGN: CampaignView = {
  id: 'OPEN-WEEK',
  name: 'Opening week',
  stock: 200,
  used: 3,
  mode: 'strict',
  modeBy: 'platform',
  platformMode: 'strict',
  left: 163,
  countedAt: null,
  held: 12,
  oversold: 0,
  allotments: true,
  from: null,
  to: null,
  hours: null,
  source: 'admin',
};

function refused(reason: 'soldOut' | 'soldOutHere', campaign: CampaignView = CAMPAIGN): RedeemResult {
  return { verdict: 'CAMPAIGN_CLOSED', detail: { reason }, campaign } as RedeemResult;
}
const panel = (result: RedeemResult) => createElement(VerdictPanel, { shown: { seq: 1, at: Date.now(), kind: 'result', result }, idle: '' });

describe('the counter: a campaign sold out at this branch', () => {
  it('says "sold out at this branch for now, try again when online", in English and Chinese', async () => {
    expect(textOf(await render('en', panel(refused('soldOutHere'))), 'verdict-reason')).toBe('Sold out at this branch for now — try again when online');
    expect(textOf(await render('zh-CN', panel(refused('soldOutHere'))), 'verdict-reason')).toBe('本店名额暂时用完——请联网后再试');
  });

  it('keeps "sold out" for a campaign with nothing left anywhere', async () => {
    expect(textOf(await render('en', panel(refused('soldOut'))), 'verdict-reason')).toBe('Campaign sold out');
    expect(textOf(await render('zh-CN', panel(refused('soldOut'))), 'verdict-reason')).toBe('活动名额已满');
  });

  it('the campaign line reads what is left for all the branches (`left`), not the stock less what was used here', async () => {
    const html = await render('en', panel(refused('soldOutHere')));
    expect(textOf(html, 'verdict-campaign')).toBe('Campaign: Opening week (163 left)');
    const zh = await render('zh-CN', panel(refused('soldOut', { ...CAMPAIGN, left: 0 })));
    expect(textOf(zh, 'verdict-campaign')).toBe('活动：Opening week（剩余 0）');
  });
});

describe('the Catalog: a campaign’s mode and stock', () => {
  const table = (list: CampaignView[]) => createElement(CampaignTable, { list, onEdit: () => undefined, onDelete: () => undefined });
  const at = new Date(2026, 10, 30, 14, 5).getTime();

  it('shows strict, what is left as of the last sync, the allotment held here and units oversold', async () => {
    const synced = { ...CAMPAIGN, countedAt: at, oversold: 2 };
    const en = await render('en', table([synced]));
    expect(textOf(en, 'campaign-row-mode')).toBe('Strict');
    expect(textOf(en, 'campaign-row-left-count')).toBe('163 of 200');
    expect(textOf(en, 'campaign-row-counted')).toBe(`as of the last sync ${countedAtText(at, 'en')}`);
    expect(textOf(en, 'campaign-row-held')).toBe('Held here: 12');
    expect(textOf(en, 'campaign-row-oversold')).toBe('2 oversold');
    expect(en).not.toContain('campaign-row-sold-out');
    const zh = await render('zh-CN', table([synced]));
    expect(textOf(zh, 'campaign-row-mode')).toBe('严格');
    expect(textOf(zh, 'campaign-row-counted')).toBe(`截至上次同步 ${countedAtText(at, 'zh-CN')}`);
    expect(textOf(zh, 'campaign-row-held')).toBe('本店预留：12');
    expect(textOf(zh, 'campaign-row-oversold')).toBe('超卖 2');
  });

  it('without a count from a server: counted on this workstation only; no oversold tag at 0', async () => {
    const en = await render('en', table([{ ...CAMPAIGN, mode: 'lenient' }]));
    expect(textOf(en, 'campaign-row-mode')).toBe('Lenient');
    expect(textOf(en, 'campaign-row-counted')).toBe('counted on this workstation only');
    expect(en).not.toContain('campaign-row-oversold');
  });

  it("says when the mode is the owner's choice rather than the platform's", async () => {
    const mine = { ...CAMPAIGN, mode: 'lenient' as const, modeBy: 'owner' as const };
    expect(textOf(await render('en', table([mine])), 'campaign-row-mode-by-owner')).toBe('chosen here');
    expect(textOf(await render('zh-CN', table([mine])), 'campaign-row-mode-by-owner')).toBe('本店选定');
    expect(await render('en', table([CAMPAIGN]))).not.toContain('campaign-row-mode-by-owner');
  });

  it('"Sold out" follows `left`, not what this workstation used', async () => {
    expect(await render('en', table([{ ...CAMPAIGN, used: 0, left: 0 }]))).toContain('data-testid="campaign-row-sold-out"');
    expect(await render('en', table([{ ...CAMPAIGN, used: 200, left: 5 }]))).not.toContain('data-testid="campaign-row-sold-out"');
    expect(isSoldOut({ left: null })).toBe(false);
  });

  it('a strict campaign on a platform that does not share stock says it works as lenient', async () => {
    const html = await render('en', table([{ ...CAMPAIGN, allotments: false, held: 0 }]));
    expect(textOf(html, 'campaign-row-acts-lenient')).toBe('works as lenient: the platform does not share stock');
    expect(html).not.toContain('campaign-row-held');
  });

  it('the time of the last count is HH:MM today, with the day otherwise', () => {
    expect(countedAtText(at, 'en', at + 60_000)).toBe('14:05');
    expect(countedAtText(at, 'en', at + 86_400_000)).toMatch(/Nov 30.*14:05/);
  });
});

describe('close of day: this workstation’s oversold redemptions', () => {
  const at = new Date(2026, 10, 30, 11, 20).getTime();
  const oversold = [
    { campaign: 'OPEN-WEEK', eventId: 'E1', units: 1, at },
    { campaign: null, eventId: 'E2', units: 2, at },
  ];

  it('lists each with its campaign, time and units, in both languages', async () => {
    const en = await render('en', createElement(OversoldList, { oversold, language: 'en' }));
    expect(en).toContain('data-units="3"');
    expect(en).toContain('Sold beyond a campaign&#x27;s stock');
    expect(en.match(/data-testid="close-day-oversold-row"/g)).toHaveLength(2);
    expect(en).toContain('>OPEN-WEEK<');
    expect(en).toContain('>Unknown campaign<');
    const zh = await render('zh-CN', createElement(OversoldList, { oversold, language: 'zh-CN' }));
    expect(zh).toContain('超出活动名额的核销');
    expect(zh).toContain('>未知活动<');
  });

  it('shows nothing on a day without any (or from a core that does not report them)', async () => {
    expect(await render('en', createElement(OversoldList, { oversold: [], language: 'en' }))).toBe('');
    expect(await render('en', createElement(OversoldList, { oversold: undefined, language: 'en' }))).toBe('');
  });
});

describe('close of day: what is left of each campaign with a stock', () => {
  const at = new Date(2026, 10, 30, 21, 5).getTime();
  const campaigns = [
    { id: 'OPEN-WEEK', name: 'Opening week', mode: 'strict' as const, stock: 200, left: 37, countedAt: at },
    { id: 'LOCAL', name: 'Counter only', mode: 'lenient' as const, stock: 10, left: 0, countedAt: null },
  ];

  it('lists each with what is left for all branches and as of when, in both languages', async () => {
    const en = await render('en', createElement(DayCampaigns, { campaigns, language: 'en' }));
    expect(en.match(/data-testid="close-day-campaign"/g)).toHaveLength(2);
    expect(en).toContain('Campaign stock');
    expect(textOf(en, 'close-day-campaign-left')).toBe('37 of 200');
    expect(textOf(en, 'close-day-campaign-counted')).toBe(`as of the last sync ${countedAtText(at, 'en')}`);
    expect(en).toContain('counted on this workstation only');
    expect(en).toContain('Sold out');
    const zh = await render('zh-CN', createElement(DayCampaigns, { campaigns, language: 'zh-CN' }));
    expect(zh).toContain('活动名额');
    expect(textOf(zh, 'close-day-campaign-left')).toBe('37 / 共 200');
    expect(textOf(zh, 'close-day-campaign-counted')).toBe(`截至上次同步 ${countedAtText(at, 'zh-CN')}`);
  });

  it('shows nothing on a day without any (or from a core that does not report them)', async () => {
    expect(await render('en', createElement(DayCampaigns, { campaigns: [], language: 'en' }))).toBe('');
    expect(await render('en', createElement(DayCampaigns, { campaigns: undefined, language: 'en' }))).toBe('');
  });
});
