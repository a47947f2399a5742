import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry, RedeemResult, ShiftSummary, ShiftView } from '../../preload/contract';
import type { Core } from '../../main/core/services';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { callErr, callOk, newWorkstation } from '../support/workstation';

let issuer: TestIssuer;
let ws: Awaited<ReturnType<typeof newWorkstation>>;
let core: Core;
let manager: string;
let cashier: string;

beforeAll(async () => {
  issuer = await makeTestIssuer();
  ws = await newWorkstation({ keysFile: null });
  core = ws.core;
  await callOk(core, 'keystore.import', { adminToken: ws.token, fileName: 'bundle.json', content: issuer.bundleJson });
  manager = core.admin.issue({ name: 'Mia', role: 'manager', staffId: 'S2' }).token;
  cashier = core.admin.issue({ name: 'Amy', role: 'cashier', staffId: 'S1' }).token;
});
afterAll(() => ws.cleanup());

const setCashier = (name: string) => callOk(core, 'settings.set', { adminToken: ws.token, cashier: name });
const redeem = (input: Record<string, unknown>) => callOk<RedeemResult>(core, 'voucher.redeem', input);

/** What the ledger says for this workstation's own events in [from, to], per cashier: checked against the summary. */
function fromLedger(from: number, to: number) {
  return core.db
    .prepare(
      `SELECT cashier, SUM(type = 'redemption') AS redemptions,
              SUM(CASE WHEN type = 'redemption' AND kind != 'value' THEN units ELSE 0 END) AS units,
              SUM(CASE WHEN type != 'redemption' THEN 0 WHEN kind = 'value' THEN amount ELSE units * coalesce(p.price, 0) END) AS value,
              SUM(type = 'reversal') AS undos
         FROM events e LEFT JOIN products p ON p.sku = e.sku
        WHERE remote = 0 AND at >= ? AND at <= ? GROUP BY cashier ORDER BY cashier`,
    )
    .all(from, to);
}

describe('shifts', () => {
  it('opens one shift at a time, closes it with a summary per cashier that matches the ledger', async () => {
    expect(await callOk(core, 'shift.current', {})).toBeNull();
    expect((await callErr(core, 'shift.close', { adminToken: manager })).code).toBe('shift.noneOpen');
    expect((await callErr(core, 'shift.summary', {})).code).toBe('shift.noneOpen');

    const t0 = Math.floor(Date.now() / 1000);
    await setCashier('Amy');
    const shift = await callOk<ShiftView>(core, 'shift.open', { adminToken: cashier, count: { vouchers: 12, cash: 50000 }, now: t0 });
    expect(shift).toMatchObject({ openedBy: 'Amy', openedAt: t0 * 1000, opening: { vouchers: 12, cash: 50000 }, closedAt: null, device: 'TEST-POS' });
    expect(await callOk(core, 'shift.current', {})).toEqual(shift);
    expect((await callErr(core, 'shift.open', { adminToken: manager, now: t0 + 1 })).code).toBe('shift.alreadyOpen');

    // Amy: two item redemptions (3 units of a 12.00 tea, and 1 of a product without a price), one undone as scanned twice; one refusal (already redeemed).
    core.db.prepare("INSERT INTO products (sku, name, price, cur) VALUES ('SKU-SHIFT-TEA', 'Tea', 1200, 'CNY')").run();
    const three = await redeem({ text: (await issuer.mint('item', { qty: 5, sku: 'SKU-SHIFT-TEA' })).text, units: 3, now: t0 + 10 });
    const single = await issuer.mint('item', { qty: 1 });
    const one = await redeem({ text: single.text, now: t0 + 20 });
    expect((await redeem({ text: single.text, now: t0 + 30 })).verdict).toBe('ALREADY_REDEEMED');
    // Asking for the units is no refusal.
    expect((await redeem({ text: (await issuer.mint('item', { qty: 4 })).text, unlessAsking: true, now: t0 + 35 })).ask?.for).toBe('units');
    await callOk<HistoryEntry>(core, 'ledger.reverse', { adminToken: manager, eventId: one.event!.id, reasonCode: 'scannedTwice', now: t0 + 40 });
    // Bo: a stored-value purchase of 25.00 and a refused expired voucher, and a malformed scan.
    await setCashier('Bo');
    await redeem({ text: (await issuer.mint('value', { val: 5000, cur: 'CNY' })).text, amount: 2500, now: t0 + 50 });
    expect((await redeem({ text: (await issuer.mint('item', { exp: t0 - 3600 })).text, now: t0 + 60 })).verdict).toBe('EXPIRED');
    expect((await redeem({ text: 'not a voucher', now: t0 + 61 })).verdict).toBe('MALFORMED');

    const sofar = await callOk<ShiftSummary>(core, 'shift.summary', { now: t0 + 70 });
    expect(sofar.until).toBe((t0 + 70) * 1000);
    expect((await callErr(core, 'shift.close', { adminToken: cashier, now: t0 + 80 })).code).toBe('staff.roleRequired');
    const summary = await callOk<ShiftSummary>(core, 'shift.close', { adminToken: manager, count: { vouchers: 10 }, now: t0 + 80 });
    expect(summary.shift).toMatchObject({ id: shift.id, closedAt: (t0 + 80) * 1000, closedBy: 'Mia', closing: { vouchers: 10, cash: null } });
    expect(summary.cashiers).toEqual([
      {
        cashier: 'Amy',
        redemptions: 2,
        units: 4,
        value: 3600,
        undos: [expect.objectContaining({ reverses: one.event!.id, code: 'scannedTwice', text: '', units: 1, at: (t0 + 40) * 1000 })],
        refusals: { ALREADY_REDEEMED: 1 },
      },
      { cashier: 'Bo', redemptions: 1, units: 0, value: 2500, undos: [], refusals: { EXPIRED: 1, MALFORMED: 1 } },
    ]);
    expect(summary.totals).toEqual({ redemptions: 3, units: 4, value: 6100, undos: 1, refusals: 3 });
    expect(three.event!.units).toBe(3);
    // The same numbers as the ledger's own rows.
    const ledger = fromLedger(t0 * 1000, (t0 + 80) * 1000);
    expect(summary.cashiers.map(({ cashier, redemptions, units, value, undos }) => ({ cashier, redemptions, units, value, undos: undos.length }))).toEqual(ledger);

    // Closed: kept as it was; a new shift may open (the hand over).
    expect(await callOk(core, 'shift.current', {})).toBeNull();
    expect(await callOk(core, 'shift.summary', { id: shift.id })).toEqual(summary);
    await setCashier('Cy');
    const next = await callOk<ShiftView>(core, 'shift.open', { adminToken: cashier, now: t0 + 90 });
    expect(next.opening).toBeNull();
    const list = await callOk<ShiftView[]>(core, 'shift.list', {});
    expect(list.map((s) => s.id)).toEqual([next.id, shift.id]);
    const empty = await callOk<ShiftSummary>(core, 'shift.summary', { now: t0 + 95 });
    expect(empty.cashiers).toEqual([]);
    expect((await callErr(core, 'shift.summary', { id: 'NOPE' })).code).toBe('shift.unknown');

    // Every open and close in the audit log.
    const shifts = core.audit.list({ limit: 50 }).filter((e) => e.action === 'shift');
    expect(shifts.map((e) => [e.detail.op, e.actor, e.detail.shift])).toEqual([
      ['open', 'Amy', next.id],
      ['close', 'Mia', shift.id],
      ['open', 'Amy', shift.id],
    ]);
    expect(shifts[1]!.detail).toMatchObject({ redemptions: 3, undos: 1, refusals: 3, closingVouchers: 10, closingCash: null });
    expect(shifts[2]!.detail).toMatchObject({ openingVouchers: 12, openingCash: 50000 });
    await callOk(core, 'shift.close', { adminToken: manager, now: t0 + 100 });
  });

  it('needs someone to open a shift', async () => {
    expect((await callErr(core, 'shift.open', {})).code).toBe('admin.required');
  });
});
