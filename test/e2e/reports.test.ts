import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import type { Download } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeText } from '../../common/text/encoding';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { e2eMissing, startRig, type Rig } from './harness';

// Issue 13 part 5 at the counter: redemptions by two cashiers of two products,
// the Reports tab's history narrowed by product and cashier, and the CSV and
// XLSX files it saves, read back; in English and in Chinese.
const missing = e2eMissing();
if (missing) console.log(`End-to-end report tests skipped: ${missing}`);

const ADMIN = 'owner passphrase 13';
let rig: Rig;
let issuer: TestIssuer;

async function call<T>(name: string, input: unknown): Promise<T> {
  const out = await rig.core.connection.call(name, input);
  if (!out.ok) throw new Error(`${name}: ${out.error.code}`);
  return out.value as T;
}

beforeAll(async () => {
  if (missing) return;
  issuer = await makeTestIssuer();
  rig = await startRig({ setup: { passphrase: ADMIN, bundleJson: issuer.bundleJson, settings: { cashier: 'Amy', sound: false } } });
  const { token: adminToken } = await call<{ token: string }>('admin.login', { passphrase: ADMIN });
  await call('products.import', { adminToken, fileName: 'products.csv', content: 'sku,name,price,cur\nSKU-TEA,珍珠奶茶,1500,CNY\nSKU-CAKE,芝士蛋糕,2800,CNY\n' });
  const redeem = async (sku: string, qty: number) => {
    const { text } = await issuer.mint('item', { qty, sku });
    const r = await call<{ verdict: string; event?: unknown }>('voucher.redeem', { text, units: qty });
    expect(r.verdict).toBe('VALID');
    expect(r.event).toBeTruthy();
  };
  await redeem('SKU-TEA', 2);
  await redeem('SKU-CAKE', 1);
  await call('settings.set', { adminToken, cashier: 'Bo' });
  await redeem('SKU-TEA', 3);
  await rig.page.locator('[data-testid="keystore-state"][data-state="unlocked"]').waitFor({ timeout: 20_000 });
}, 120_000);
afterAll(async () => rig?.close());

const byId = (id: string) => rig.page.getByTestId(id);

/** Clicks an export button, approves with the owner's passphrase when asked, and returns the saved file. */
async function exported(button: string): Promise<{ name: string; bytes: Buffer }> {
  const download = rig.page.waitForEvent('download', { timeout: 30_000 });
  await byId(button).click();
  const asked = byId('admin-passphrase');
  await Promise.race([asked.waitFor({ timeout: 5_000 }).then(async () => {
    await asked.fill(ADMIN);
    await byId('dialog-ok').click();
  }), download]).catch(() => {});
  const d: Download = await download;
  return { name: d.suggestedFilename(), bytes: readFileSync((await d.path())!) };
}

const rows = () => byId('report-row');

async function filterHistory(product: string, cashier: string) {
  await byId('history-product').selectOption(product);
  await byId('history-cashier').selectOption(cashier);
  await byId('history-search').click();
}

describe.skipIf(missing)('the Reports tab', () => {
  it('filters the history by product and cashier, and exports it as CSV and the summary as XLSX (English)', async () => {
    await byId('tab-reports').click();
    await expect.poll(() => rows().count(), { timeout: 20_000 }).toBe(3);
    await filterHistory('SKU-TEA', '');
    await expect.poll(() => rows().count()).toBe(2);
    expect(await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-sku')))).toEqual(['SKU-TEA', 'SKU-TEA']);
    await filterHistory('SKU-TEA', 'Amy');
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().getAttribute('data-cashier')).toBe('Amy');

    const csv = await exported('history-export-csv');
    expect(csv.name).toMatch(/^voucherdesk-history-.*\.csv$/);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = parse(decodeText(csv.bytes).text) as string[][];
    expect(lines[0]!.slice(0, 5)).toEqual(['time', 'type', 'conflict', 'voucher', 'product']);
    expect(lines.slice(1).map((l) => [l[1], l[4], l[6], l[8]])).toEqual([['redemption', '珍珠奶茶', '2', 'Amy']]);
    await expect.poll(() => byId('reports-message').innerText()).toContain('1');

    // Today's summary: tea 5 units (Amy 2, Bo 3), cake 1.
    await byId('summary-show').click();
    await expect.poll(() => byId('summary-product').count()).toBe(2);
    const xlsx = await exported('summary-export-xlsx');
    expect(xlsx.name).toMatch(/\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const cells: unknown[][] = [];
    book.worksheets[0]!.eachRow((r) => cells.push((r.values as unknown[]).slice(1)));
    const line = (kind: string, name: string) => cells.find((r) => r[0] === kind && r[1] === name)?.slice(3, 7);
    expect(line('product', '珍珠奶茶')).toEqual([2, 0, 5, 7500]);
    expect(line('product', '芝士蛋糕')).toEqual([1, 0, 1, 2800]);
    expect(line('cashier', 'Amy')).toEqual([2, 0, 3, 5800]);
    expect(line('cashier', 'Bo')).toEqual([1, 0, 3, 4500]);
    expect(cells.find((r) => r[0] === 'total')?.slice(3, 7)).toEqual([3, 0, 6, 10300]);
  });

  it('speaks Chinese: the tab, the filters, and the CSV headers', async () => {
    await byId('lang').selectOption('zh-CN');
    await expect.poll(() => byId('tab-reports').innerText()).toBe('报表');
    // Each filter leaves one row, so the poll waits for that row (the one before had one row too).
    const shown = (attr: string) => rows().evaluateAll((els, a) => els.map((e) => e.getAttribute(a)), attr);
    await filterHistory('SKU-CAKE', '');
    await expect.poll(() => shown('data-sku')).toEqual(['SKU-CAKE']);
    expect(await byId('report-table').innerText()).toContain('芝士蛋糕');
    await filterHistory('', 'Bo');
    await expect.poll(() => shown('data-cashier')).toEqual(['Bo']);
    const csv = await exported('history-export-csv');
    const lines = parse(decodeText(csv.bytes).text) as string[][];
    expect(lines[0]!.slice(0, 5)).toEqual(['时间', '类型', '冲突', '券', '商品']);
    expect(lines.slice(1).map((l) => [l[1], l[4], l[8]])).toEqual([['核销', '珍珠奶茶', 'Bo']]);
  });

  it('fits a 1024x768 window: the tabs and the history table stay on screen', async () => {
    await rig.page.setViewportSize({ width: 1024, height: 768 });
    const bar = await rig.page.locator('.topbar').boundingBox();
    const tab = await byId('tab-reports').boundingBox();
    expect(bar!.width).toBeLessThanOrEqual(1024);
    expect(tab!.x + tab!.width).toBeLessThanOrEqual(1024);
    const table = await byId('report-table').boundingBox();
    expect(table!.x).toBeGreaterThanOrEqual(0);
  });
});
