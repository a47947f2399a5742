import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HistoryPage } from '../../../preload/contract';
import { newWorkstation } from '../../support/workstation';
import { seedShop, T, type Seeded } from './seed';

// The full history: each filter narrows to exactly its lines, pages follow
// one another newest first with nothing repeated or lost.

let ws: Awaited<ReturnType<typeof newWorkstation>>;
let s: Seeded;
beforeEach(async () => {
  ws = await newWorkstation({ keysFile: null });
  s = seedShop(ws.core);
});
afterEach(() => ws.cleanup());

const ids = async (filter: Record<string, unknown>) => (await ws.core.invoke('reports.history', { limit: 500, ...filter })).entries.map((e) => e.id);

describe('reports.history', () => {
  it('lists everything newest first, with the product, member, undo and conflict on each line', async () => {
    const page = await ws.core.invoke('reports.history', {});
    expect(page.entries.map((e) => e.id)).toEqual([s.lost.id, s.undo.id, s.e4.id, s.e3.id, s.e2.id, s.e1.id]);
    const byId = Object.fromEntries(page.entries.map((e) => [e.id, e]));
    expect(byId[s.e1.id]).toMatchObject({ product: '珍珠奶茶', cashier: 'amy', units: 2, conflict: null, remote: false });
    expect(byId[s.e3.id]).toMatchObject({ reversedBy: s.undo.id });
    expect(byId[s.undo.id]).toMatchObject({ type: 'reversal', reverses: s.e3.id, cashier: 'mia', reason: 'wrong voucher' });
    expect(byId[s.e4.id]).toMatchObject({ member: 'P-member-1' });
    expect(byId[s.lost.id]).toMatchObject({ conflict: 'open' });
    expect(page.next).toBeNull();
  });

  it('narrows by each filter to exactly its lines', async () => {
    expect(await ids({ cashier: 'amy' })).toEqual([s.lost.id, s.e3.id, s.e1.id]);
    expect(await ids({ cashier: 'mia' })).toEqual([s.undo.id]);
    expect(await ids({ sku: 'CAKE' })).toEqual([s.undo.id, s.e3.id, s.e2.id]);
    expect(await ids({ voucher: 'abc-7' })).toEqual([s.e4.id]);
    expect(await ids({ voucher: 'gb.test/V-00' })).toEqual([s.lost.id, s.undo.id, s.e3.id, s.e2.id, s.e1.id]);
    expect(await ids({ member: 'P-member-1' })).toEqual([s.e4.id]);
    expect(await ids({ kind: 'reversal' })).toEqual([s.undo.id]);
    expect(await ids({ kind: 'conflict' })).toEqual([s.lost.id]);
    expect(await ids({ kind: 'redemption' })).toEqual([s.lost.id, s.e4.id, s.e3.id, s.e2.id, s.e1.id]);
    expect(await ids({ from: T('2026-11-21T16:00:00Z'), to: T('2026-11-22T02:00:00Z') })).toEqual([s.e3.id, s.e2.id]);
    // Filters add up.
    expect(await ids({ cashier: 'amy', sku: 'TEA' })).toEqual([s.lost.id, s.e1.id]);
    expect(await ids({ cashier: 'amy', sku: 'TEA', kind: 'conflict' })).toEqual([s.lost.id]);
    expect(await ids({ cashier: 'nobody' })).toEqual([]);
  });

  it('pages newest first: each page after the last, nothing repeated or lost', async () => {
    const all = await ids({});
    const seen: string[] = [];
    let page: HistoryPage = await ws.core.invoke('reports.history', { limit: 2 });
    for (;;) {
      expect(page.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries.map((e) => e.id));
      if (!page.next) break;
      page = await ws.core.invoke('reports.history', { limit: 2, after: page.next });
    }
    expect(seen).toEqual(all);
    // With a filter too.
    const first = await ws.core.invoke('reports.history', { limit: 1, cashier: 'amy' });
    const second = await ws.core.invoke('reports.history', { limit: 5, cashier: 'amy', after: first.next! });
    expect([...first.entries, ...second.entries].map((e) => e.id)).toEqual([s.lost.id, s.e3.id, s.e1.id]);
    expect(second.next).toBeNull();
  });

  it('offers the cashiers and products it has seen', async () => {
    expect(await ws.core.invoke('reports.choices', {})).toEqual({
      cashiers: ['amy', 'bob', 'mia'],
      products: [
        { sku: 'CAKE', name: 'Cake, cheese 芝士蛋糕' },
        { sku: 'TEA', name: '珍珠奶茶' },
      ],
    });
  });

  it('reads a narrowed page through the indexes, without sorting the ledger', () => {
    const plan = (where: string) =>
      (ws.core.db.prepare(`EXPLAIN QUERY PLAN SELECT e.* FROM events e LEFT JOIN products p ON p.sku = e.sku LEFT JOIN sync_conflicts c ON c.event_id = e.id WHERE ${where} ORDER BY e.at DESC, e.seq DESC LIMIT 51`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
    expect(plan("e.cashier = 'amy'")).toMatch(/events_cashier_at/);
    expect(plan("e.sku = 'TEA'")).toMatch(/events_sku_at/);
    expect(plan('1')).not.toMatch(/TEMP B-TREE/);
  });
});
