import { describe, expect, it } from 'vitest';
import type { CampaignView, VerifyResult, VoucherView } from '../../preload/contract';
import { afterVerify, parseUnits, promptFor } from '../../renderer/src/redeem/flow';

function voucher(o: Partial<VoucherView> = {}): VoucherView {
  return {
    iss: 'gb.test', jti: 'J1', mid: 'M', kind: 'item', sku: 'SKU-88', product: null, sub: null, qty: 1, val: null, cur: null,
    use: null, exp: null, nbf: null, pinRequired: false, cmp: null, ref: null, shr: null, lvl: null, ...o,
  };
}
const valid = (v: Partial<VoucherView>, left: number, face: number, extra: Partial<VerifyResult> = {}): VerifyResult => ({
  verdict: 'VALID',
  voucher: voucher(v),
  remaining: { left, face, usesLeft: null },
  ...extra,
});
const campaign = (stock: number | null, used: number): CampaignView => ({ id: 'C', name: 'Spring', stock, used, from: null, to: null, hours: null, source: 'admin' });

describe('redeem flow: what follows a verify', () => {
  it('redeems at once when one unit is left (queue speed)', () => {
    expect(afterVerify(valid({ qty: 1 }, 1, 1))).toEqual({ type: 'redeem', units: 1 });
    expect(afterVerify(valid({ qty: 5 }, 1, 5))).toEqual({ type: 'redeem', units: 1 });
    expect(afterVerify(valid({ kind: 'gift', qty: 1 }, 1, 1))).toEqual({ type: 'redeem', units: 1 });
  });

  it('asks how many when more than one unit is left, all of them by default', () => {
    const r = valid({ qty: 5 }, 3, 5);
    expect(afterVerify(r)).toEqual({ type: 'ask', prompt: { type: 'units', result: r, left: 3, face: 5, max: 3 } });
    const gift = valid({ kind: 'gift', qty: 2 }, 2, 2);
    expect(afterVerify(gift)).toMatchObject({ type: 'ask', prompt: { type: 'units', max: 2 } });
  });

  it('bounds the units by the campaign’s stock left here', () => {
    expect(afterVerify(valid({ qty: 5 }, 5, 5, { campaign: campaign(10, 8) }))).toMatchObject({ prompt: { type: 'units', left: 5, max: 2 } });
    expect(afterVerify(valid({ qty: 5 }, 5, 5, { campaign: campaign(null, 8) }))).toMatchObject({ prompt: { type: 'units', max: 5 } });
  });

  it('asks for the purchase amount of a stored-value voucher, whatever its balance', () => {
    const r = valid({ kind: 'value', qty: null, val: 10_000, cur: 'CNY' }, 2_500, 10_000);
    expect(afterVerify(r)).toEqual({ type: 'ask', prompt: { type: 'amount', result: r, balance: 2_500, face: 10_000, cur: 'CNY' } });
    expect(afterVerify(valid({ kind: 'value', val: 100, cur: 'CNY' }, 1, 100))).toMatchObject({ prompt: { type: 'amount', balance: 1 } });
  });

  it('asks for the PIN first, and again after a wrong one; not when locked', () => {
    expect(afterVerify({ verdict: 'PIN_REQUIRED' })).toEqual({ type: 'ask', prompt: { type: 'pin', wrong: false } });
    expect(afterVerify({ verdict: 'PIN_WRONG', triesLeft: 3 })).toEqual({ type: 'ask', prompt: { type: 'pin', wrong: true, triesLeft: 3 } });
    expect(afterVerify({ verdict: 'PIN_WRONG', triesLeft: 0, lockedUntil: 1, detail: 'locked' })).toEqual({ type: 'show' });
    expect(promptFor({ verdict: 'VALID' })).toBeNull();
  });

  it('shows every refusal as it is', () => {
    for (const verdict of ['ALREADY_REDEEMED', 'REVOKED', 'CAMPAIGN_CLOSED', 'CLOCK_BEHIND', 'EXPIRED', 'MALFORMED'] as const) {
      expect(afterVerify({ verdict })).toEqual({ type: 'show' });
    }
  });
});

describe('redeem flow: the units the cashier types', () => {
  it('takes a whole number from 1 to the most allowed', () => {
    expect(parseUnits('2', 3)).toEqual({ ok: true, units: 2 });
    expect(parseUnits(' 3 ', 3)).toEqual({ ok: true, units: 3 });
    expect(parseUnits('３', 3)).toEqual({ ok: true, units: 3 });
    expect(parseUnits('4', 3)).toEqual({ ok: false, problem: 'tooMany' });
    expect(parseUnits('0', 3)).toEqual({ ok: false, problem: 'zero' });
    expect(parseUnits('', 3)).toEqual({ ok: false, problem: 'notNumber' });
    expect(parseUnits('1.5', 3)).toEqual({ ok: false, problem: 'notNumber' });
    expect(parseUnits('GBV1:abc', 3)).toEqual({ ok: false, problem: 'notNumber' });
  });
});
