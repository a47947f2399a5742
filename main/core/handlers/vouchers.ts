/** Verifying and redeeming; the ledger. */
import type { vouchersCalls } from '../../../preload/api/vouchers';
import { toHistoryEntry } from '../ledger/ledger';
import { withoutClaims, type ScanResult } from '../redeem/redeem';
import type { Deps, HandlerMap } from './types';

/** The screens get the voucher's view; its raw claims only for a trusted caller that asks (the CLI). */
const shown = (r: ScanResult, claims: boolean | undefined): ScanResult => (claims ? r : withoutClaims(r));

export function vouchersHandlers({ admin, ledger, catalog, redeemer, crm, ctx, log, staff }: Deps): HandlerMap<keyof typeof vouchersCalls> {
  return {
    // The people on the answer by name or masked (crm.named): a counter screen never shows a raw id.
    'voucher.verify': async ({ text, ...answers }, { now, claims }) =>
      shown(await crm.named(await redeemer.scan(text, { ...answers, now, intent: 'verify' })), claims),
    'voucher.redeem': async ({ text, unlessAsking, ...answers }, { now, claims }) =>
      shown(await crm.named(await redeemer.scan(text, { ...answers, now, intent: unlessAsking ? 'redeemUnlessAsking' : 'redeem' })), claims),
    'ledger.history': ({ limit, beforeSeq }) =>
      ledger.history(limit, beforeSeq).map((e) => toHistoryEntry(e, catalog.productName(e.sku))),
    'ledger.reverse': ({ adminToken, eventId, reason }) => {
      const actor = admin.require(adminToken, 'manager');
      // Who undid it: the person acting (a manager approving a cashier's undo), or as before without staff accounts.
      const by = staff.nameFor(actor, () => ctx.cashier() ?? 'admin');
      const e = ledger.reverse(eventId, { at: Date.now(), device: ctx.device(), branch: ctx.branch(), by, reason });
      log.info('reversed', { event: e.id, reverses: eventId });
      return toHistoryEntry(e, catalog.productName(e.sku));
    },
    'voucher.unlockPin': ({ adminToken, iss, jti }) => {
      admin.require(adminToken, 'manager');
      redeemer.unlockPin(iss, jti);
      log.info('pin unlocked', { iss, jti });
      return { ok: true as const };
    },
  };
}
