import { describe, expect, it } from 'vitest';
import type { VerifyResult, VoucherView } from '../../preload/contract';
import { afterVerify, isPinLocked, parseUnits, promptFor } from '../../renderer/src/redeem/flow';

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
describe('redeem flow: the screen follows what the core asks', () => {
  it('redeems a VALID answer with nothing to ask', () => {
    expect(afterVerify(valid({ qty: 1 }, 1, 1))).toEqual({ type: 'redeem' });
  });

  it('asks how many, up to the most the core allows, showing what is left on the voucher', () => {
    const r = valid({ qty: 5 }, 3, 5, { ask: { for: 'units', max: 2, take: 1 } });
    expect(afterVerify(r)).toEqual({ type: 'ask', prompt: { type: 'units', result: r, left: 3, face: 5, max: 2, take: 1 } });
  });

  it('asks for the purchase amount with the balance and currency the core gives', () => {
    const r = valid({ kind: 'value', qty: null, val: 10_000, cur: 'CNY' }, 2_500, 10_000, { ask: { for: 'amount', balance: 2_500, cur: 'CNY' } });
    expect(afterVerify(r)).toEqual({ type: 'ask', prompt: { type: 'amount', result: r, balance: 2_500, face: 10_000, cur: 'CNY' } });
  });

  it('asks for the PIN first, and again after a wrong one; not when the core does not ask (locked)', () => {
    expect(afterVerify({ verdict: 'PIN_REQUIRED', ask: { for: 'pin', wrong: false } })).toEqual({ type: 'ask', prompt: { type: 'pin', wrong: false } });
    const wrong: VerifyResult = { verdict: 'PIN_WRONG', triesLeft: 3, ask: { for: 'pin', wrong: true, triesLeft: 3 } };
    expect(afterVerify(wrong)).toEqual({ type: 'ask', prompt: { type: 'pin', wrong: true, triesLeft: 3 } });
    expect(promptFor(wrong)).toEqual({ type: 'pin', wrong: true, triesLeft: 3 });
    const locked: VerifyResult = { verdict: 'PIN_WRONG', triesLeft: 0, detail: { reason: 'locked', until: 1 } };
    expect(afterVerify(locked)).toEqual({ type: 'show' });
    expect(isPinLocked(locked)).toBe(true);
    expect(promptFor({ verdict: 'VALID' })).toBeNull();
    expect(promptFor(valid({ qty: 5 }, 3, 5, { ask: { for: 'units', max: 3, take: 1 } }))).toBeNull(); // after a redemption, only a PIN is asked again
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
