/** Verifying and redeeming; the ledger. */
import type { vouchersCalls } from '../../../preload/api/vouchers';
import { toHistoryEntry } from '../ledger/ledger';
import { withoutClaims } from '../redeem/redeem';
import type { Deps, HandlerMap } from './types';

export function vouchersHandlers({ admin, ledger, catalog, redeemer, ctx, log }: Deps): HandlerMap<keyof typeof vouchersCalls> {
  return {
    'voucher.verify': async ({ text, pin, now }) => withoutClaims(await redeemer.verify(text, { pin, now })),
    'voucher.redeem': async ({ text, pin, units, amount, now, unlessAsking }) => {
      if (unlessAsking) {
        // One round trip for the common scan; a question (units, amount, PIN) means no recording yet.
        const checked = await redeemer.verify(text, { pin, now });
        const left = checked.remaining?.left;
        const needsQuestion = checked.verdict !== 'VALID' || checked.voucher?.kind === 'value' || (left !== undefined && left > 1);
        if (needsQuestion) return withoutClaims(checked);
        units = left === 1 ? 1 : units;
      }
      const result = await redeemer.redeem(text, { pin, units, amount, now });
      return withoutClaims(result);
    },
    'ledger.history': ({ limit, beforeSeq }) =>
      ledger.history(limit, beforeSeq).map((e) => toHistoryEntry(e, catalog.productName(e.sku))),
    'ledger.reverse': ({ adminToken, eventId, reason }) => {
      admin.require(adminToken);
      const e = ledger.reverse(eventId, { at: Date.now(), device: ctx.device(), branch: ctx.branch(), by: ctx.cashier() ?? 'admin', reason });
      log.info('reversed', { event: e.id, reverses: eventId });
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
