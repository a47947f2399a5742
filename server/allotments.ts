/**
 * `POST /v1/allotments` (docs/spec/sync-protocol.md "Campaign stock"): a
 * device asks for a share of a campaign's stock, or gives some back. One
 * short transaction with the campaign's count row locked (PostgreSQL FOR
 * UPDATE; SQLite's write lock), retried like uploads (server/tx.ts).
 *
 * Idempotent: the call sets the device's target `granted = max(consumed it
 * claims, consumed stored) + want`; shrinking gives units back, growing is
 * bounded by what is free (stock − redeemed − reserved), so a retry after a
 * lost answer changes nothing more than the first call did.
 */
import { allotmentRequest, describeIssues, type AllotmentAnswer } from '../common/protocol/sync';
import type { ServerDb } from './db';
import type { DeviceRef } from './devices';
import { nowIso } from './events';
import { definedStock, lockCount, redeemedByVouchers } from './stock';
import { writeTx } from './tx';

/** The HTTP answer: 200 with the allotment, or an error body `{ error, message }`. */
export type AllotmentReply = { status: 200; body: AllotmentAnswer } | { status: 400 | 404; body: { error: string; message: string } };

export async function answerAllotment(sdb: ServerDb, device: DeviceRef, raw: unknown): Promise<AllotmentReply> {
  const read = allotmentRequest.safeParse(raw);
  if (!read.success) {
    return { status: 400, body: { error: 'bad_request', message: `the body must be JSON { "campaign", "consumed", "want"? } (whole numbers ≥ 0): ${describeIssues(read.error)}` } };
  }
  const { campaign, consumed: claimed, want } = read.data;
  const answer = await writeTx(
    sdb,
    async (trx): Promise<AllotmentAnswer | null> => {
      const count = await lockCount(sdb, trx, device.mid, campaign);
      if (!count) {
        // Not counted: a campaign without stock (nothing to grant), or none of this merchant's.
        if ((await definedStock(trx, device.mid, campaign)) === undefined) return null;
        const redeemed = await redeemedByVouchers(sdb, trx, device.mid, campaign, false);
        return { campaign, granted: 0, stock: null, redeemed, reserved: 0, held: 0, serverTime: nowIso() };
      }
      const a = await trx.selectFrom('allotments').selectAll().where('mid', '=', device.mid).where('campaign', '=', campaign).where('device', '=', device.id).executeTakeFirst();
      const had = a?.granted ?? 0;
      const consumed = a?.consumed ?? 0;
      let granted = had;
      if (want !== undefined) {
        const target = Math.max(claimed, consumed) + want;
        if (target < had) granted = target;
        else if (target > had && count.stock !== null) granted = had + Math.min(target - had, Math.max(0, count.stock - count.redeemed - count.reserved));
      }
      const reserved = count.reserved + (granted - had);
      if (granted !== had) {
        await trx
          .insertInto('allotments')
          .values({ mid: device.mid, campaign, device: device.id, granted, consumed })
          .onConflict((oc) => oc.columns(['mid', 'campaign', 'device']).doUpdateSet({ granted }))
          .execute();
        await trx
          .updateTable('campaign_counts')
          .set((eb) => ({ reserved: eb('reserved', '+', granted - had) }))
          .where('mid', '=', device.mid)
          .where('campaign', '=', campaign)
          .execute();
      }
      return { campaign, granted, stock: count.stock, redeemed: count.redeemed, reserved, held: granted - consumed, serverTime: nowIso() };
    },
    'own',
  );
  if (!answer) return { status: 404, body: { error: 'unknown_campaign', message: `no campaign ${campaign} for merchant ${device.mid}` } };
  return { status: 200, body: answer };
}
