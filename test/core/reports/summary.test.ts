import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeText } from '../../../common/text/encoding';
import { dayOf, dayWindow } from '../../../main/core/reports/timezone';
import { callErr, newWorkstation } from '../../support/workstation';
import { seedShop, T, type Seeded } from './seed';

let ws: Awaited<ReturnType<typeof newWorkstation>>;
let s: Seeded;
beforeEach(async () => {
  ws = await newWorkstation({ keysFile: null });
  s = seedShop(ws.core);
});
afterEach(() => ws.cleanup());

describe("the merchant's day", () => {
  it('is the local midnight to midnight: Asia/Shanghai is 8 hours ahead of UTC, across the UTC midnight', () => {
    expect(dayWindow('2026-11-22', 'Asia/Shanghai')).toEqual({ from: T('2026-11-21T16:00:00Z'), to: T('2026-11-22T16:00:00Z') });
    expect(dayWindow('2026-11-22', 'UTC')).toEqual({ from: T('2026-11-22T00:00:00Z'), to: T('2026-11-23T00:00:00Z') });
    // 00:30 in Shanghai is still the day before in UTC.
    expect(dayOf(s.e2.at, 'Asia/Shanghai')).toBe('2026-11-22');
    expect(dayOf(s.e2.at, 'UTC')).toBe('2026-11-21');
    // A day with a change to summer time is 23 hours long.
    const spring = dayWindow('2026-03-08', 'America/New_York');
    expect(spring.to - spring.from).toBe(23 * 3_600_000);
    expect(spring.from).toBe(T('2026-03-08T05:00:00Z'));
  });
});

describe('reports.summary', () => {
  it('counts a Shanghai day per product and per cashier, net of the undo, the lost conflict apart', async () => {
    const sum = await ws.core.invoke('reports.summary', dayWindow('2026-11-22', 'Asia/Shanghai'));
    // e2 (bob, cake 1), e3 (amy, cake 1, undone by mia), e4 (bob, tea 3); lost (amy, tea 1) is a conflict.
    expect(sum.products).toEqual([
      { sku: 'CAKE', product: 'Cake, cheese 芝士蛋糕', redemptions: 2, reversals: 1, units: 1, value: 2800, valueComplete: true },
      { sku: 'TEA', product: '珍珠奶茶', redemptions: 1, reversals: 0, units: 3, value: 4500, valueComplete: true },
    ]);
    expect(sum.cashiers).toEqual([
      { cashier: 'amy', redemptions: 1, reversals: 0, units: 1, value: 2800, valueComplete: true },
      { cashier: 'bob', redemptions: 2, reversals: 0, units: 4, value: 7300, valueComplete: true },
      { cashier: 'mia', redemptions: 0, reversals: 1, units: -1, value: -2800, valueComplete: true },
    ]);
    expect(sum.totals).toEqual({ redemptions: 3, reversals: 1, units: 4, value: 7300, valueComplete: true, conflicts: 1 });
  });

  it('counts the UTC day differently: the same events split at the UTC midnight', async () => {
    const sum = await ws.core.invoke('reports.summary', dayWindow('2026-11-21', 'UTC'));
    // e1 (tea 2) and e2 (cake 1) only.
    expect(sum.totals).toMatchObject({ redemptions: 2, units: 3, value: 2 * 1500 + 2800, conflicts: 0 });
  });

  it("is a shift's report with its hours and cashier", async () => {
    const sum = await ws.core.invoke('reports.summary', { from: T('2026-11-22T00:00:00Z'), to: T('2026-11-22T06:00:00Z'), cashier: 'amy' });
    expect(sum.cashier).toBe('amy');
    expect(sum.cashiers.map((c) => c.cashier)).toEqual(['amy']);
    expect(sum.totals).toMatchObject({ redemptions: 1, reversals: 0, units: 1, conflicts: 1 });
  });
});

describe('reports.export', () => {
  const shanghai = () => dayWindow('2026-11-22', 'Asia/Shanghai');

  it('needs a manager, and is recorded in the audit log', async () => {
    expect((await callErr(ws.core, 'reports.export', { format: 'csv', report: { summary: shanghai() } })).code).toBe('admin.required');
    const cashier = ws.core.admin.issue({ name: 'Amy', role: 'cashier', staffId: 'S1' }).token;
    expect((await callErr(ws.core, 'reports.export', { adminToken: cashier, format: 'csv', report: { summary: shanghai() } })).code).toBe('staff.roleRequired');
    const manager = ws.core.admin.issue({ name: 'Bo', role: 'manager', staffId: 'S2' }).token;
    await ws.core.invoke('reports.export', { adminToken: manager, format: 'xlsx', report: { history: { cashier: 'amy' } } });
    expect(ws.core.audit.list()[0]).toMatchObject({ action: 'export', actor: 'Bo', role: 'manager', detail: { what: 'history', format: 'xlsx', rows: 3, truncated: false } });
  });

  it('writes the summary as XLSX that reads back to the same numbers', async () => {
    const sum = await ws.core.invoke('reports.summary', shanghai());
    const file = await ws.core.invoke('reports.export', { adminToken: ws.token, format: 'xlsx', report: { summary: shanghai() } });
    expect(file.fileName).toMatch(/^voucherdesk-report-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(file.contentBase64, 'base64') as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    book.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    const line = (kind: string, name: string) => rows.find((r) => r[0] === kind && r[1] === name)!;
    for (const p of sum.products) expect(line('product', p.product!).slice(3, 7)).toEqual([p.redemptions, p.reversals, p.units, p.value]);
    for (const c of sum.cashiers) expect(line('cashier', c.cashier!).slice(3, 7)).toEqual([c.redemptions, c.reversals, c.units, c.value]);
    const total = rows.find((r) => r[0] === 'total')!;
    expect(total.slice(3, 7)).toEqual([sum.totals.redemptions, sum.totals.reversals, sum.totals.units, sum.totals.value]);
  });

  it('writes the history as CSV in UTF-8 with a byte order mark, Chinese names and commas intact, times in the merchant zone', async () => {
    await ws.core.invoke('reports.setTimeZone', { adminToken: ws.token, timeZone: 'Asia/Shanghai' });
    const file = await ws.core.invoke('reports.export', { adminToken: ws.token, format: 'csv', language: 'zh-CN', report: { history: { sku: 'CAKE' } } });
    const bytes = Buffer.from(file.contentBase64, 'base64');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const { text, encoding } = decodeText(bytes);
    expect(encoding).toBe('utf-8');
    const rows = parse(text) as string[][];
    expect(rows[0]!.slice(0, 5)).toEqual(['时间', '类型', '冲突', '券', '商品']);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[4]])).toEqual([
      ['2026-11-22 11:00:00', '撤销', 'Cake, cheese 芝士蛋糕'],
      ['2026-11-22 09:00:00', '核销', 'Cake, cheese 芝士蛋糕'],
      ['2026-11-22 00:30:00', '核销', 'Cake, cheese 芝士蛋糕'],
    ]);
    expect(file.rows).toBe(3);
    const plain = await ws.core.invoke('reports.export', { adminToken: ws.token, format: 'csv', bom: false, report: { history: {} } });
    expect(Buffer.from(plain.contentBase64, 'base64')[0]).toBe('t'.charCodeAt(0));
  });
});

describe('the time zone setting', () => {
  it("defaults to the OS's zone; the owner sets another; an unknown name is refused", async () => {
    const before = await ws.core.invoke('reports.timeZone', {});
    expect(before.timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect((await ws.core.invoke('reports.setTimeZone', { adminToken: ws.token, timeZone: 'Asia/Shanghai' })).timeZone).toBe('Asia/Shanghai');
    expect((await callErr(ws.core, 'reports.setTimeZone', { adminToken: ws.token, timeZone: 'Mars/Olympus' })).code).toBe('api.badInput');
    const manager = ws.core.admin.issue({ name: 'Bo', role: 'manager', staffId: 'S2' }).token;
    expect((await callErr(ws.core, 'reports.setTimeZone', { adminToken: manager, timeZone: 'UTC' })).code).toBe('staff.roleRequired');
    expect((await ws.core.invoke('reports.timeZone', {})).timeZone).toBe('Asia/Shanghai');
    expect(ws.core.audit.list()[0]).toMatchObject({ action: 'settings', detail: { setting: 'timeZone', value: 'Asia/Shanghai' } });
  });
});
