/**
 * The shapes of the redemption loop on the Redeem screen.
 *
 * A scan is first sent as `voucher.redeem` with `unlessAsking`: the core redeems
 * it at once when nothing needs asking (one unit left, not stored value, no PIN
 * missing), else answers like `voucher.verify`, recording nothing. That answer
 * decides the next step (`afterVerify`, the same rule the core applies):
 * - a refusal is shown as it is;
 * - PIN_REQUIRED / PIN_WRONG ask for the PIN, then verify again with it;
 * - a stored-value voucher asks for the purchase amount;
 * - an item or gift voucher with more than one unit left asks how many;
 * - anything else (one unit left) is redeemed at once, for queue speed.
 * The answers fill `pin`, `units` or `amount` of the same `RedeemRequest`;
 * the verdict shows through VerdictPanel whatever the kind.
 */
import type { CampaignView, RedeemResult, Verdict, VerifyResult } from '../../../preload/contract';
import type { ErrorLike } from '../i18n';
import type { SoundName } from '../sound';

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
  /** How many units to take now: 1..max, `left` on the voucher, `max` also bounded by the campaign's stock. */
  | { type: 'units'; result: VerifyResult; left: number; face: number; max: number }
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
  return result.verdict === 'PIN_WRONG' && (result.detail === 'locked' || result.triesLeft === 0 || result.lockedUntil != null);
}

/** The PIN prompt a verdict calls for, if any. */
export function promptFor(result: VerifyResult): RedeemPrompt | null {
  if (result.verdict === 'PIN_REQUIRED') return { type: 'pin', wrong: false };
  if (result.verdict === 'PIN_WRONG') {
    if (isPinLocked(result)) return null;
    return result.triesLeft === undefined ? { type: 'pin', wrong: true } : { type: 'pin', wrong: true, triesLeft: result.triesLeft };
  }
  return null;
}

/** Units a campaign still has on this workstation, or null for no limit. */
export function campaignLeft(c: CampaignView | undefined): number | null {
  return c && c.stock !== null ? Math.max(0, c.stock - c.used) : null;
}

export type NextStep =
  /** A refusal (or nothing to do): show the verdict, the scan is done. */
  | { type: 'show' }
  /** Ask the cashier first. */
  | { type: 'ask'; prompt: RedeemPrompt }
  /** Redeem at once. */
  | { type: 'redeem'; units?: number };

/** What to do with the answer of `voucher.verify`. */
export function afterVerify(result: VerifyResult): NextStep {
  if (result.verdict !== 'VALID') {
    const prompt = promptFor(result);
    return prompt ? { type: 'ask', prompt } : { type: 'show' };
  }
  const kind = result.voucher?.kind ?? 'item';
  const r = result.remaining;
  if (kind === 'value') {
    const cur = result.voucher?.cur ?? null;
    return { type: 'ask', prompt: { type: 'amount', result, balance: r?.left ?? 0, face: r?.face ?? r?.left ?? 0, cur } };
  }
  if (r && r.left > 1) {
    const stock = campaignLeft(result.campaign);
    const max = Math.max(1, stock === null ? r.left : Math.min(r.left, stock));
    return { type: 'ask', prompt: { type: 'units', result, left: r.left, face: r.face, max } };
  }
  return r && r.left === 1 ? { type: 'redeem', units: 1 } : { type: 'redeem' };
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
