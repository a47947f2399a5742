import { describe, expect, it } from 'vitest';
import type { ReferralReport } from '../../preload/contract';
import { consentGivenAt } from '../../renderer/src/crm/member/Details';
import { CHART_FONT, membersChart, monthsChart } from '../../renderer/src/crm/reportCharts';
import { i18n, i18nOptions } from '../../renderer/src/i18n';

// Issue 12, item 9: the Members screen's words and charts.
const words = { issued: 'Issued', redeemed: 'Redeemed', conversion: 'Conversion' };
const empty: ReferralReport = { perMember: [], perMonth: [], totals: { issued: 0, redeemed: 0, rewards: 0, conversion: 0 } };
const some: ReferralReport = {
  perMember: [{ id: 'm1', name: 'Ann', issued: 3, redeemed: 1, conversion: 1 / 3 }],
  perMonth: [{ month: '2026-11', issued: 3, redeemed: 1, conversion: 1 / 3 }],
  totals: { issued: 3, redeemed: 1, rewards: 0, conversion: 1 / 3 },
};

describe('the referral report charts', () => {
  it('draws no chart without data (the page says "no data yet")', () => {
    expect(monthsChart(empty, words)).toBeNull();
    expect(membersChart(empty, words)).toBeNull();
    const zeroes = { ...empty, perMonth: [{ month: '2026-11', issued: 0, redeemed: 0, conversion: 0 }], perMember: [{ id: 'm', name: 'X', issued: 0, redeemed: 0, conversion: 0 }] };
    expect(monthsChart(zeroes, words)).toBeNull();
    expect(membersChart(zeroes, words)).toBeNull();
  });

  it('counts whole vouchers on the axes and writes at 12 px or more', () => {
    const months = monthsChart(some, words)!.options as { scales: Record<string, { ticks: { precision?: number; font?: { size: number } } }> };
    const members = membersChart(some, words)!.options as typeof months;
    expect(months.scales.y!.ticks.precision).toBe(0);
    expect(members.scales.x!.ticks.precision).toBe(0);
    for (const axis of [...Object.values(months.scales), ...Object.values(members.scales)]) expect(axis.ticks.font!.size).toBeGreaterThanOrEqual(12);
    expect(CHART_FONT.size).toBeGreaterThanOrEqual(12);
  });
});

describe('the member page', () => {
  it('says when consent was given only while it is given', () => {
    expect(consentGivenAt({ given: true, at: 1000 }, true)).toBe(1000);
    expect(consentGivenAt({ given: false, at: 1000 }, false)).toBeNull();
    expect(consentGivenAt({ given: true, at: 1000 }, false)).toBeNull();
  });

  it('counts in proper plurals in English, and in Chinese without any', async () => {
    await i18n.init(i18nOptions('en'));
    await i18n.changeLanguage('en');
    expect(i18n.t('crm:referral.missingVisits', { count: 1 })).toBe('1 more visit');
    expect(i18n.t('crm:referral.missingVisits', { count: 5 })).toBe('5 more visits');
    expect(i18n.t('crm:network.links', { count: 1 })).toBe('1 link');
    expect(i18n.t('crm:network.people', { count: 4 })).toBe('4 people');
    await i18n.changeLanguage('zh-CN');
    expect(i18n.t('crm:referral.missingVisits', { count: 1 })).toBe('还需到店 1 次');
    expect(i18n.t('crm:network.links', { count: 6 })).toBe('6 条关系');
    await i18n.changeLanguage('en');
  });
});
