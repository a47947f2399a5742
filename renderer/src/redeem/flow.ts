/**
 * The shapes of the redemption loop on the Redeem screen.
 *
 * A scan is sent as `voucher.redeem` with `unlessAsking`: the core redeems it at
 * once when nothing needs asking, else records nothing and says in `ask` what to
 * ask (the PIN, how many units, the purchase amount). The screen follows `ask`
 * (`afterVerify`) and never decides the rule itself; the answers fill `pin`,
 * `units` or `amount` of the same `RedeemRequest`. The verdict shows through
 * VerdictPanel whatever the kind.
 */
import type { Ask, CampaignView, RedeemResult, Verdict, VerifyResult } from '../../../preload/contract';
import type { ErrorLike } from '../i18n';
import type { SoundName } from '../sound';
import { TEXT_MAX } from '../../../preload/api/common';

/**
 * A paste longer than a call takes is cut to that length: still far longer than
 * any voucher, so the core answers "not a voucher (too long)" instead of the call
 * being refused as invalid.
 */
export function scanText(text: string): string {
  return text.length > TEXT_MAX ? text.slice(0, TEXT_MAX) : text;
}

/** What is sent to `voucher.redeem`. The text lives only as long as the scan and its prompt. */
export interface RedeemRequest {
  text: string;
  pin?: string;
  units?: number;
  amount?: number;
}

/** A question the cashier must answer before the scan is done. */
export type RedeemPrompt =
  | { type: 'pin'; wrong: boolean; triesLeft?: number }
  /** How many units to take now: 1..max, `left` on the voucher, `max` also bounded by the campaign's stock; `take` is what Enter takes (the core's default). */
  | { type: 'units'; result: VerifyResult; left: number; face: number; max: number; take: number }
  /** The purchase amount for a stored-value voucher with `balance` minor units left. */
  | { type: 'amount'; result: VerifyResult; balance: number; face: number; cur: string | null };

/** What the verdict panel shows: the answer of a scan, a question being asked, or why it could not be checked. */
export type Shown =
  | { seq: number; at: number; kind: 'result'; result: RedeemResult; note?: 'pinCancelled' }
  | { seq: number; at: number; kind: 'asking'; result: VerifyResult; ask: 'units' | 'amount' }
  | { seq: number; at: number; kind: 'cancelled'; result: VerifyResult }
  | { seq: number; at: number; kind: 'error'; error: ErrorLike };

export type Tone = 'ok' | 'attention' | 'refused';

export function toneOf(verdict: Verdict): Tone {
  if (verdict === 'VALID') return 'ok';
  if (verdict === 'PIN_REQUIRED') return 'attention';
  return 'refused';
}

export function soundFor(verdict: Verdict): SoundName {
  // The workstation's clock is behind: not the customer's fault; the cashier must look at the screen.
  if (verdict === 'CLOCK_BEHIND') return 'warning';
  const tone = toneOf(verdict);
  return tone === 'ok' ? 'accept' : tone === 'attention' ? 'warning' : 'reject';
}

/** Too many wrong PINs: the voucher is locked on this workstation for a while (no prompt then). */
export function isPinLocked(result: VerifyResult): boolean {
  return result.verdict === 'PIN_WRONG' && result.detail?.reason === 'locked';
}

/** The PIN prompt the core asks for, if any. */
export function promptFor(result: VerifyResult): RedeemPrompt | null {
  return result.ask?.for === 'pin' ? pinPrompt(result.ask) : null;
}

function pinPrompt(ask: Extract<Ask, { for: 'pin' }>): RedeemPrompt {
  return ask.triesLeft === undefined ? { type: 'pin', wrong: ask.wrong } : { type: 'pin', wrong: ask.wrong, triesLeft: ask.triesLeft };
}

/** Units a campaign still has for all the branches as this workstation knows it (the core's `left`), or null for no limit. */
export function campaignLeft(c: CampaignView | undefined): number | null {
  return c && c.stock !== null && c.left !== null ? Math.max(0, c.left) : null;
}

export type NextStep =
  /** A refusal (or nothing to do): show the verdict, the scan is done. */
  | { type: 'show' }
  /** Ask the cashier first. */
  | { type: 'ask'; prompt: RedeemPrompt }
  /** Redeem at once. */
  | { type: 'redeem'; units?: number };

/** What to do with an answer that recorded nothing: follow the core's `ask`; a VALID one with nothing to ask is redeemed. */
export function afterVerify(result: VerifyResult): NextStep {
  const ask = result.ask;
  const r = result.remaining;
  switch (ask?.for) {
    case 'pin':
      return { type: 'ask', prompt: pinPrompt(ask) };
    case 'units':
      return { type: 'ask', prompt: { type: 'units', result, left: r?.left ?? ask.max, face: r?.face ?? ask.max, max: ask.max, take: ask.take } };
    case 'amount':
      return { type: 'ask', prompt: { type: 'amount', result, balance: ask.balance, face: r?.face ?? ask.balance, cur: ask.cur } };
    case undefined:
      return result.verdict === 'VALID' ? { type: 'redeem' } : { type: 'show' };
  }
}

/** Errors from `voucher.redeem` the open units/amount dialog shows itself, staying open for another answer. */
export const ANSWER_ERRORS: readonly string[] = ['redeem.tooManyUnits', 'redeem.campaignStockShort', 'redeem.amountRequired', 'api.badInput'];

export type UnitsProblem = 'notNumber' | 'zero' | 'tooMany';

/** The number the cashier typed in the units prompt, 1..max. */
export function parseUnits(input: string, max: number): { ok: true; units: number } | { ok: false; problem: UnitsProblem } {
  const s = input.normalize('NFKC').trim();
  if (!/^\d{1,6}$/.test(s)) return { ok: false, problem: 'notNumber' };
  const n = Number(s);
  if (n < 1) return { ok: false, problem: 'zero' };
  if (n > max) return { ok: false, problem: 'tooMany' };
  return { ok: true, units: n };
}
