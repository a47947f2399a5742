/**
 * The shapes of the redemption loop on the Redeem screen.
 *
 * Extension points for issue 3 (units, stored value, gift): a scan may need an
 * answer from the cashier before the redemption is final. Today that is only
 * the PIN (`voucher.redeem` answers PIN_REQUIRED / PIN_WRONG). A units or
 * amount question would be another `RedeemPrompt` variant with its own dialog
 * beside PinPrompt, filling `units` or `amount` of the same `RedeemRequest`;
 * the verdict shows through VerdictPanel whatever the kind.
 */
import type { RedeemResult, Verdict } from '../../../preload/contract';
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
export type RedeemPrompt = { type: 'pin'; wrong: boolean; triesLeft?: number };

/** What the verdict panel shows: the answer of a scan, or why it could not be checked. */
export type Shown =
  | { seq: number; at: number; kind: 'result'; result: RedeemResult; note?: 'pinCancelled' }
  | { seq: number; at: number; kind: 'error'; error: ErrorLike };

export type Tone = 'ok' | 'attention' | 'refused';

export function toneOf(verdict: Verdict): Tone {
  if (verdict === 'VALID') return 'ok';
  if (verdict === 'PIN_REQUIRED') return 'attention';
  return 'refused';
}

export function soundFor(verdict: Verdict): SoundName {
  const tone = toneOf(verdict);
  return tone === 'ok' ? 'accept' : tone === 'attention' ? 'warning' : 'reject';
}

/** Too many wrong PINs: the voucher is locked on this workstation for a while (no prompt then). */
export function isPinLocked(result: RedeemResult): boolean {
  return result.verdict === 'PIN_WRONG' && (result.detail === 'locked' || result.triesLeft === 0 || result.lockedUntil != null);
}

/** The prompt a verdict calls for, if any. */
export function promptFor(result: RedeemResult): RedeemPrompt | null {
  if (result.verdict === 'PIN_REQUIRED') return { type: 'pin', wrong: false };
  if (result.verdict === 'PIN_WRONG') {
    if (isPinLocked(result)) return null;
    return result.triesLeft === undefined ? { type: 'pin', wrong: true } : { type: 'pin', wrong: true, triesLeft: result.triesLeft };
  }
  return null;
}
