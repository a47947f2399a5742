/** A small day of a shop for the report tests: two cashiers, two products (Chinese names), an undo, a lost conflict, a member. */
import type { EventRow } from '../../../main/core/ledger/ledger';
import type { Core } from '../../../main/core/services';

export const T = (iso: string) => Date.parse(iso);

export interface Seeded {
  e1: EventRow;
  e2: EventRow;
  e3: EventRow;
  e4: EventRow;
  undo: EventRow;
  lost: EventRow;
}

export function seedShop(core: Core): Seeded {
  core.catalog.importProducts('products.csv', 'sku,name,price,cur\nTEA,珍珠奶茶,1500,CNY\nCAKE,"Cake, cheese 芝士蛋糕",2800,CNY\n');
  const redeem = (jti: string, sku: string, take: number, at: string, cashier: string) =>
    core.ledger.appendRedemption({
      terms: { iss: 'gb.test', jti, kind: 'item', face: 10, cur: null, maxUses: null },
      mid: 'M1',
      sku,
      take,
      at: T(at),
      device: 'POS-1',
      branch: 'B1',
      cashier,
    });
  // 23:30 on the 21st in Shanghai (15:30 UTC).
  const e1 = redeem('V-001', 'TEA', 2, '2026-11-21T15:30:00Z', 'amy');
  // 00:30 on the 22nd in Shanghai, still the 21st in UTC.
  const e2 = redeem('V-002', 'CAKE', 1, '2026-11-21T16:30:00Z', 'bob');
  const e3 = redeem('V-003', 'CAKE', 1, '2026-11-22T01:00:00Z', 'amy');
  const e4 = redeem('ABC-777', 'TEA', 3, '2026-11-22T02:00:00Z', 'bob');
  core.ledger.attachMember(e4.id, 'P-member-1', false);
  const undo = core.ledger.reverse(e3.id, { at: T('2026-11-22T03:00:00Z'), device: 'POS-1', branch: 'B1', by: 'mia', reason: 'wrong voucher' });
  const lost = redeem('V-005', 'TEA', 1, '2026-11-22T04:00:00Z', 'amy');
  core.db
    .prepare("INSERT INTO sync_conflicts (event_id, iss, jti, event, first, origin, detected_at) VALUES (?, 'gb.test', 'V-005', NULL, '{}', 'upload', ?)")
    .run(lost.id, T('2026-11-22T05:00:00Z'));
  return { e1, e2, e3, e4: core.ledger.event(e4.id)!, undo, lost };
}
