import type { Remaining } from '../../../preload/contract';

/**
 * How many units a redemption takes when the cashier just confirms (Enter on the
 * units question, or `redeem` with no units): ONE, so a 10-visit card loses one
 * visit, and more than one must be typed. The exception is the last visit a
 * voucher allows (`use` cap with one redemption event left, e.g. a single-visit
 * group-buy for a table of 4): it takes everything it can, `max`, because what a
 * last visit does not take can never be taken and one visit is what the customer
 * bought. (The voucher's kind, item or gift, does not change this; stored value
 * is always asked for an amount.)
 */
export function defaultUnits(remaining: Remaining, max: number): number {
  return remaining.usesLeft === 1 ? max : Math.min(1, max);
}
