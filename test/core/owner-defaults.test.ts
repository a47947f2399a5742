/**
 * The defaults an owner has not changed yet speak the workstation's language:
 * the referral vouchers' labels (printed on them) and the level perks (read at
 * the counter) are Chinese on a Chinese workstation, English on an English one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workstationLanguage } from '../../main/core/language';
import type { PointsRules, ReferralRules } from '../../preload/contract';
import { callOk, newWorkstation } from '../support/workstation';

describe('defaults in the workstation language', () => {
  let ws: Awaited<ReturnType<typeof newWorkstation>>;
  beforeAll(async () => {
    ws = await newWorkstation({ keysFile: null });
  });
  afterAll(() => ws.cleanup());
  const rules = () => callOk<ReferralRules>(ws.core, 'crm.rulesGet', {});
  const perks = async () => (await callOk<PointsRules>(ws.core, 'points.rules', {})).levels.map((l) => l.perk);

  it('Chinese screens: Chinese labels and perks', async () => {
    await callOk(ws.core, 'settings.set', { locale: 'zh-CN' });
    const r = await rules();
    expect([r.welcome.label, r.reward.label]).toEqual(['欢迎饮品', '感谢券']);
    expect(await perks()).toEqual(['', '95 折', '9 折', '85 折']);
  });

  it('English screens: English labels and perks', async () => {
    await callOk(ws.core, 'settings.set', { locale: 'en' });
    const r = await rules();
    expect([r.welcome.label, r.reward.label]).toEqual(['Welcome drink', 'Thank-you voucher']);
    expect(await perks()).toEqual(['', '5% off', '10% off', '15% off']);
  });

  it("what the owner saved stays as saved, whatever the language", async () => {
    const mine = { ...(await rules()), welcome: { kind: 'item' as const, qty: 1, validDays: 30, label: 'Free tea' } };
    await callOk(ws.core, 'crm.rulesSet', { adminToken: ws.token, rules: mine });
    await callOk(ws.core, 'settings.set', { locale: 'zh-CN' });
    expect((await rules()).welcome.label).toBe('Free tea');
  });

  it('automatic follows the system locale, as the screens do', () => {
    ws.core.settings.set('locale', 'auto');
    expect(workstationLanguage(ws.core.settings, 'zh-Hans-CN')).toBe('zh-CN');
    expect(workstationLanguage(ws.core.settings, 'en-GB')).toBe('en');
  });
});
