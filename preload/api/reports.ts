/** Reports: the full history with filters, day / shift / period summaries, and their export (CSV, XLSX). */
import { z } from 'zod';
import { adminToken } from './common';
import type { HistoryEntry } from './vouchers';

/** What a history line is: a redemption, a reversal, or a redemption that lost a sync conflict. */
export const HISTORY_KINDS = ['redemption', 'reversal', 'conflict'] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

/** Whether the runtime knows a time zone by this IANA name (Asia/Shanghai, UTC …). */
export function isTimeZoneName(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const instant = z.number().int().min(0).max(32_503_680_000_000);
const name = z.string().trim().min(1).max(200);

/** Narrows the history (and the export): every field given must hold. Times in ms, `to` excluded. */
export const historyFilter = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    cashier: name.optional(),
    sku: name.optional(),
    /** Part of the voucher's id: its issuer and serial (`iss/jti`), or a piece of either. */
    voucher: name.optional(),
    /** A member's id. */
    member: name.optional(),
    kind: z.enum(HISTORY_KINDS).optional(),
  })
  .strict();
export type HistoryFilter = z.output<typeof historyFilter>;

/** Where the last page ended: the next page starts after it (newest first). */
const cursor = z.object({ at: instant, seq: z.number().int().min(0) }).strict();

/** A window of time for a summary: a day, a shift (its hours, and its cashier if given) or any period. */
export const summaryWindow = z
  .object({
    from: instant,
    to: instant,
    cashier: name.optional(),
  })
  .strict()
  .refine((w) => w.to > w.from, { path: ['to'] });

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;

/** A history line with the reporting details: the event's order, its member, and whether it lost a conflict. */
export interface ReportEntry extends HistoryEntry {
  seq: number;
  member: string | null;
  /** 'open' or 'settled' when this redemption lost a sync conflict, else null. */
  conflict: 'open' | 'settled' | null;
  /** Made on another workstation (downloaded by sync). */
  remote: boolean;
}

export interface HistoryPage {
  entries: ReportEntry[];
  /** Give it back as `after` for the next page; null on the last page. */
  next: { at: number; seq: number } | null;
}

/** Counts for a product, a cashier or the whole window. Units and value are net of reversals. */
export interface SummaryCounts {
  redemptions: number;
  reversals: number;
  units: number;
  /** Minor units (fen): value vouchers' amounts, plus units × the product's price where known. */
  value: number;
  /** False when some item line has no price here (its value is then missing from `value`). */
  valueComplete: boolean;
}

export interface ProductLine extends SummaryCounts {
  sku: string | null;
  product: string | null;
}

export interface CashierLine extends SummaryCounts {
  cashier: string | null;
}

export interface Summary {
  from: number;
  to: number;
  cashier: string | null;
  timeZone: string;
  products: ProductLine[];
  cashiers: CashierLine[];
  totals: SummaryCounts & { conflicts: number };
}

export interface ReportFile {
  fileName: string;
  mime: string;
  /** The file's bytes, base64. */
  contentBase64: string;
  rows: number;
  /** The history had more lines than one export holds (EXPORT_MAX_ROWS). */
  truncated: boolean;
}

/** The most history lines one export holds (a file a spreadsheet opens comfortably). */
export const EXPORT_MAX_ROWS = 200_000;

export const reportsCalls = {
  'reports.history': {
    input: historyFilter.extend({ limit: z.number().int().min(1).max(500).default(50), after: cursor.optional() }).strict(),
  },
  'reports.summary': { input: summaryWindow },
  /** A file to save (recorded in the audit log); needs a manager. */
  'reports.export': {
    input: z
      .object({
        adminToken: adminToken.optional(),
        format: z.enum(EXPORT_FORMATS),
        /** The language of the column names. */
        language: z.enum(['en', 'zh-CN']).default('en'),
        /** CSV only: start the file with a byte order mark (Excel on Windows then reads UTF-8). */
        bom: z.boolean().default(true),
        /** The history with a filter, or the summary of a window. */
        report: z.union([
          z.object({ history: historyFilter }).strict(),
          z.object({ summary: summaryWindow }).strict(),
        ]),
      })
      .strict(),
  },
  /** The cashiers and products to offer in the filters. */
  'reports.choices': { input: z.object({}).strict() },
  /** The merchant's time zone for day windows (IANA name) and the OS's. */
  'reports.timeZone': { input: z.object({}).strict() },
  /** Sets the merchant's time zone (the owner's). */
  'reports.setTimeZone': { input: z.object({ adminToken: adminToken.optional(), timeZone: z.string().min(1).max(64).refine(isTimeZoneName) }).strict() },
} as const;

export interface ReportsResults {
  'reports.history': HistoryPage;
  'reports.summary': Summary;
  'reports.export': ReportFile;
  'reports.choices': { cashiers: string[]; products: { sku: string; name: string | null }[] };
  'reports.timeZone': { timeZone: string; system: string };
  'reports.setTimeZone': { timeZone: string; system: string };
}
