import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dayOf } from '../../../main/core/reports/timezone';
import { newWorkstation } from '../../support/workstation';
import { seedShop, T } from './seed';

// Close of day on a workstation without a server: the local report for the
// merchant's day, not an error; the closed days listed.

let ws: Awaited<ReturnType<typeof newWorkstation>>;
beforeEach(async () => {
  ws = await newWorkstation({ keysFile: null });
  seedShop(ws.core);
});
afterEach(() => ws.cleanup());

describe('close of day without a server', () => {
  it("shows the ledger's report for the day in the merchant's time zone, per product and per cashier, without a sync error", async () => {
    await ws.core.invoke('reports.setTimeZone', { adminToken: ws.token, timeZone: 'Asia/Shanghai' });
    const r = await ws.core.invoke('sync.closeDay', { day: '2026-11-22' });
    expect(r).toMatchObject({ day: '2026-11-22', configured: false, syncError: null, server: null, differences: [], timeZone: 'Asia/Shanghai' });
    expect([r.from, r.to]).toEqual([T('2026-11-21T16:00:00Z'), T('2026-11-22T16:00:00Z')]);
    expect(r.ledger).toMatchObject({ redemptions: 3, reversals: 1, units: 4, conflicts: 1 });
    expect(r.lines.products.map((p) => [p.product, p.units])).toEqual([
      ['Cake, cheese 芝士蛋糕', 1],
      ['珍珠奶茶', 3],
    ]);
    expect(r.lines.cashiers.map((c) => c.cashier)).toEqual(['amy', 'bob', 'mia']);
    expect(await ws.core.invoke('sync.closedDays', {})).toEqual([{ day: '2026-11-22', closedAt: r.closedAt, differences: [] }]);
  });

  it('in UTC the same day is another window, with other events', async () => {
    await ws.core.invoke('reports.setTimeZone', { adminToken: ws.token, timeZone: 'UTC' });
    const r = await ws.core.invoke('sync.closeDay', { day: '2026-11-21' });
    expect([r.from, r.to]).toEqual([T('2026-11-21T00:00:00Z'), T('2026-11-22T00:00:00Z')]);
    expect(r.ledger).toMatchObject({ redemptions: 2, units: 3 });
  });

  it("closes today in the merchant's zone when no day is given", async () => {
    await ws.core.invoke('reports.setTimeZone', { adminToken: ws.token, timeZone: 'Pacific/Kiritimati' });
    const r = await ws.core.invoke('sync.closeDay', {});
    expect(r.day).toBe(dayOf(r.closedAt, 'Pacific/Kiritimati'));
  });
});
