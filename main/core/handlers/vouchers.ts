/** Verifying and redeeming; the ledger. */
import type { vouchersCalls } from '../../../preload/api/vouchers';
import { toHistoryEntry } from '../ledger/ledger';
import { withoutClaims, type ScanResult } from '../redeem/redeem';
import type { Actor } from '../staff/roles';
import { roleToUndo, undoReasonText, undoWindowMinutes, withUndo } from '../shifts/undo';
import { clockOf } from './shifts';
import type { Deps, HandlerMap } from './types';

/** The screens get the voucher's view; its raw claims only for a trusted caller that asks (the CLI). */
const shown = (r: ScanResult, claims: boolean | undefined): ScanResult => (claims ? r : withoutClaims(r));

export function vouchersHandlers({ admin, audit, ledger, catalog, redeemer, crm, ctx, log, settings, shifts, staff }: Deps): HandlerMap<keyof typeof vouchersCalls> {
  /**
   * Who an undo is recorded for: the person at the counter, with the token's
   * person as the approver when that is someone else (a manager's or the owner's override).
   */
  const undoActors = (actor: Actor): { actor: Actor; approver: Actor | null } => {
    if (staff.accounts.enabled()) {
      const signedIn = staff.counter.signedIn();
      return !signedIn || signedIn.staffId === actor.staffId ? { actor, approver: null } : { actor: signedIn, approver: actor };
    }
    const atCounter = ctx.cashier();
    if (!atCounter || atCounter === actor.name) return { actor, approver: null };
    return { actor: { name: atCounter, role: 'cashier', staffId: null }, approver: actor };
  };

  return {
    // The people on the answer by name or masked (crm.named): a counter screen never shows a raw id.
    'voucher.verify': async ({ text, ...answers }, { now, claims }) =>
      shown(await crm.named(await redeemer.scan(text, { ...answers, now, intent: 'verify' })), claims),
    'voucher.redeem': async ({ text, unlessAsking, ...answers }, trusted) => {
      const r = await redeemer.scan(text, { ...answers, now: trusted.now, intent: unlessAsking ? 'redeemUnlessAsking' : 'redeem' });
      // A refused scan is counted for the shift summary (a question to ask is no refusal; nor is a double read).
      if (r.verdict !== 'VALID' && !r.ask) shifts.noteRefusal(clockOf(trusted), ctx.device(), ctx.cashier(), r.verdict);
      return shown(await crm.named(r), trusted.claims);
    },
    'ledger.history': ({ limit, beforeSeq }) => {
      const minutes = undoWindowMinutes(settings);
      return ledger.history(limit, beforeSeq).map((e) => withUndo(toHistoryEntry(e, catalog.productName(e.sku)), e.reversed_by !== null, minutes));
    },
    'ledger.reverse': ({ adminToken, eventId, reasonCode, reason }, trusted) => {
      const actor = admin.require(adminToken, 'manager');
      const at = clockOf(trusted);
      const orig = ledger.event(eventId);
      // Anything but a redemption not yet undone, the ledger refuses (unknown, not a redemption, already undone).
      const undoable = orig?.type === 'redemption' && !ledger.isReversed(eventId);
      let late = false;
      let text = reason;
      if (undoable) {
        // The window is the core's, on its clock: past it, only the owner.
        late = roleToUndo(orig.at, at, undoWindowMinutes(settings)) === 'owner';
        if (late) admin.require(adminToken, 'owner');
        text = undoReasonText(reasonCode, reason);
      }
      // Who undid it: the person acting (a manager approving a cashier's undo), or as before without staff accounts.
      const by = staff.nameFor(actor, () => ctx.cashier() ?? 'admin');
      const e = ledger.reverse(eventId, { at, device: ctx.device(), branch: ctx.branch(), by, reason: text });
      const who = undoActors(actor);
      audit.record('undo', who.actor, { event: e.id, reverses: eventId, reason: reasonCode ?? null, late }, who.approver, at);
      log.info('reversed', { event: e.id, reverses: eventId });
      return withUndo(toHistoryEntry(e, catalog.productName(e.sku)), false, undoWindowMinutes(settings));
    },
    'voucher.unlockPin': ({ adminToken, iss, jti }) => {
      admin.require(adminToken, 'manager');
      redeemer.unlockPin(iss, jti);
      log.info('pin unlocked', { iss, jti });
      return { ok: true as const };
    },
  };
}
