import type { Ledger } from '../ledger/ledger';
import type { VoucherTerms } from '../vouchers/claims';

/**
 * How long after a redemption made here the same voucher arriving again is a
 * double read, not a second use (ms). A wedge or serial scanner easily sends a
 * code twice, and a cashier presses Enter twice; the camera already drops a code
 * held up again within 3 s. A real second use of the same voucher (another
 * visit, another purchase) never comes within 5 s of the first.
 */
export const REPEAT_WINDOW_MS = 5_000;

/**
 * The last redemption this Redeemer recorded, and the answer it gave, so a
 * double read of it within REPEAT_WINDOW_MS gets that same green answer
 * (marked `repeat`) instead of ALREADY_REDEEMED, and nothing is recorded. Only
 * the LAST redemption made on this device counts: after another voucher, after
 * the window, once the event was reversed, or when a later redemption of the
 * voucher (another device's, synced) stands in the ledger, the voucher is
 * decided as usual.
 */
export class LastRedemption<R extends { event?: { id: string } }> {
  private last: { iss: string; jti: string; at: number; answer: R } | null = null;

  /** Called with the answer of every redemption recorded here; `at` is the scan's time (ms). */
  remember(terms: VoucherTerms, at: number, answer: R): void {
    this.last = { iss: terms.iss, jti: terms.jti, at, answer };
  }

  /** The earlier answer, marked as a repeat, when a scan of (iss, jti) at `nowMs` is a double read; else null. */
  repeatOf(iss: string, jti: string, nowMs: number, ledger: Ledger): (R & { repeat: true }) | null {
    const last = this.last;
    if (!last || last.iss !== iss || last.jti !== jti) return null;
    const elapsed = nowMs - last.at;
    if (elapsed < 0 || elapsed >= REPEAT_WINDOW_MS) return null;
    // Still the redemption that stands for this voucher (not reversed, none after it).
    if (ledger.lastRedemption(iss, jti)?.eventId !== last.answer.event?.id) return null;
    return { ...last.answer, repeat: true };
  }
}
