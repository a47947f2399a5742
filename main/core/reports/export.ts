/**
 * Reports as files: CSV (UTF-8, with a byte order mark by default so Excel on
 * a Chinese Windows reads product names right; common/text/encoding.ts reads
 * such files back) and XLSX (exceljs). Times are written in the merchant's
 * time zone, money in minor units (fen) as whole numbers.
 */
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { wallTime } from '../../../common/time/day';
import type { ReportEntry, Summary } from '../../../preload/contract';

export type ReportLanguage = 'en' | 'zh-CN';

const WORDS = {
  en: {
    history: ['time', 'type', 'conflict', 'voucher', 'product', 'sku', 'units', 'amount (fen)', 'cashier', 'member', 'device', 'branch', 'reason', 'event'],
    summary: ['line', 'name', 'sku', 'redemptions', 'reversals', 'units', 'value (fen)', 'value complete'],
    line: { product: 'product', cashier: 'cashier', total: 'total', conflicts: 'conflicts', window: 'window' },
    type: { redemption: 'redemption', reversal: 'reversal' },
    yes: 'yes',
    no: 'no',
  },
  'zh-CN': {
    history: ['时间', '类型', '冲突', '券', '商品', '商品编号', '份数', '金额（分）', '收银员', '会员', '设备', '门店', '原因', '事件'],
    summary: ['行', '名称', '商品编号', '核销', '撤销', '份数', '金额（分）', '金额完整'],
    line: { product: '商品', cashier: '收银员', total: '合计', conflicts: '冲突', window: '时段' },
    type: { redemption: '核销', reversal: '撤销' },
    yes: '是',
    no: '否',
  },
} as const;

type Cell = string | number | null;

export function historyRows(entries: Iterable<ReportEntry>, timeZone: string, lang: ReportLanguage): Cell[][] {
  const w = WORDS[lang];
  const rows: Cell[][] = [[...w.history]];
  for (const e of entries) {
    rows.push([
      wallTime(e.at, timeZone),
      w.type[e.type],
      e.conflict,
      e.iss && e.jti ? `${e.iss}/${e.jti}` : null,
      e.product,
      e.sku,
      e.units,
      e.amount,
      e.cashier,
      e.member,
      e.device,
      e.branch,
      e.reason,
      e.id,
    ]);
  }
  return rows;
}

export function summaryRows(s: Summary, lang: ReportLanguage): Cell[][] {
  const w = WORDS[lang];
  const yesNo = (b: boolean) => (b ? w.yes : w.no);
  const rows: Cell[][] = [
    [w.line.window, `${wallTime(s.from, s.timeZone)} – ${wallTime(s.to, s.timeZone)} (${s.timeZone})`, s.cashier],
    [...w.summary],
  ];
  for (const l of s.products) rows.push([w.line.product, l.product ?? l.sku, l.sku, l.redemptions, l.reversals, l.units, l.value, yesNo(l.valueComplete)]);
  for (const l of s.cashiers) rows.push([w.line.cashier, l.cashier, null, l.redemptions, l.reversals, l.units, l.value, yesNo(l.valueComplete)]);
  const t = s.totals;
  rows.push([w.line.total, null, null, t.redemptions, t.reversals, t.units, t.value, yesNo(t.valueComplete)]);
  rows.push([w.line.conflicts, null, null, t.conflicts, null, null, null, null]);
  return rows;
}

export function csvBytes(rows: Cell[][], bom: boolean): Buffer {
  const text = stringify(rows.map((r) => r.map((c) => (c === null ? '' : c))));
  return Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
}

/** One sheet of the rows; the header row (1-based) in bold. Excel reserves the sheet name "History". */
export async function xlsxBytes(rows: Cell[][], sheetName: 'Events' | 'Summary', headerRow: number): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'VoucherDesk';
  const sheet = book.addWorksheet(sheetName);
  for (const r of rows) sheet.addRow(r);
  sheet.getRow(headerRow).font = { bold: true };
  sheet.columns.forEach((c) => {
    c.width = 16;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}
