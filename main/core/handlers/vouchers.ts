/** Verifying and redeeming; the ledger. */
import type { vouchersCalls } from '../../../preload/api/vouchers';
import { toHistoryEntry } from '../ledger/ledger';
import { withoutClaims, type ScanResult } from '../redeem/redeem';
import type { Deps, HandlerMap } from './types';

export function vouchersHandlers({ admin, ledger, catalog, points, redeemer, ctx, log, emit }: Deps): HandlerMap<keyof typeof vouchersCalls> {
  /** A recorded redemption changes the ledger: the page hears of it. */
  const announced = (r: ScanResult) => {
    if (r.event) emit('ledger.changed', { eventId: r.event.id });
    return withoutClaims(r);
  };
  return {
    'voucher.verify': async ({ text, ...answers }) => withoutClaims(await redeemer.scan(text, { ...answers, intent: 'verify' })),
    'voucher.redeem': async ({ text, unlessAsking, ...answers }) =>
      announced(await redeemer.scan(text, { ...answers, intent: unlessAsking ? 'redeemUnlessAsking' : 'redeem' })),
    'ledger.history': ({ limit, beforeSeq }) =>
      ledger.history(limit, beforeSeq).map((e) => toHistoryEntry(e, catalog.productName(e.sku))),
    'ledger.reverse': ({ adminToken, eventId, reason }) => {
      admin.require(adminToken);
      const at = Date.now();
      const e = ledger.reverse(eventId, { at, device: ctx.device(), branch: ctx.branch(), by: ctx.cashier() ?? 'admin', reason }, (orig, reversalId) => {
        if (orig.cmp) catalog.releaseCampaign(orig.cmp, orig.kind === 'value' ? 1 : (orig.units ?? 0));
        points.reverse(orig.id, reversalId, at);
      });
      log.info('reversed', { event: e.id, reverses: eventId });
      emit('ledger.changed', { eventId: e.id });
      return toHistoryEntry(e, catalog.productName(e.sku));
    },
    'voucher.unlockPin': ({ adminToken, iss, jti }) => {
      admin.require(adminToken);
      redeemer.unlockPin(iss, jti);
      log.info('pin unlocked', { iss, jti });
      return { ok: true as const };
    },
  };
}
