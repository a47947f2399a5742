/**
 * The receipt printer: an ESC/POS thermal printer (58 or 80 mm) on a serial
 * port (or USB-serial adapter), a raw TCP port (9100) or an OS printer (CUPS,
 * raw), and when the counter prints a slip after a redemption.
 *
 * A print never blocks nor undoes a redemption: a printer that fails answers a
 * `printer.*` error and the redemption stays recorded. Slips carry a short
 * reference of the voucher, never its text.
 */
import { z } from 'zod';
import type { ErrorCode } from './errors';
import { BAUD_RATES } from './scanners';

export const PRINTER_KINDS = ['none', 'serial', 'tcp', 'os'] as const;
export const PAPER_WIDTHS = [58, 80] as const;
export const SLIP_POLICIES = ['always', 'ask', 'never'] as const;
export const SLIP_LANGUAGE_CHOICES = ['en', 'zh-CN'] as const;

export type PrinterKind = (typeof PRINTER_KINDS)[number];
export type SlipPolicy = (typeof SLIP_POLICIES)[number];

export interface PrinterConfig {
  kind: PrinterKind;
  /** Serial: the device (`/dev/ttyUSB0`, `COM3`) and its speed. */
  path: string;
  baudRate: (typeof BAUD_RATES)[number];
  /** Raw TCP: the printer's address and port (9100 unless it says otherwise). */
  host: string;
  port: number;
  /** OS printer: its CUPS queue name (`lp -d NAME`). */
  osName: string;
  paper: (typeof PAPER_WIDTHS)[number];
  language: (typeof SLIP_LANGUAGE_CHOICES)[number];
  /** After a redemption: print at once, offer a button, or not at all. */
  afterRedemption: SlipPolicy;
}

export interface PrinterStatus {
  config: PrinterConfig;
  /** The last slip printed (or tried), for a reprint: its title and time, never voucher text. */
  last: { title: string; at: number } | null;
  /** How the last slip printed by the "always" policy went (also sent as `printer.result`). */
  lastResult: PrintResult | null;
}

/** A slip printed after a redemption by the "always" policy, or why it was not. */
export interface PrintResult {
  eventId: string;
  ok: boolean;
  error?: { code: ErrorCode; message: string; params?: Record<string, string | number> };
}

export interface Printed {
  /** What was printed (the slip's title) and how many bytes went to the printer. */
  title: string;
  bytes: number;
}

const token = z.string().min(1).max(200);
const plain = (max: number) => z.string().max(max).regex(/^[^\0\r\n]*$/);
const count = z.number().int().min(0).max(1_000_000_000);
const name = z.string().min(1).max(64);

export const cashierLineInput = z.object({ name, redemptions: count, units: count, valueFen: count, undos: count }).strict();
export const productLineInput = z.object({ name: z.string().min(1).max(120), redemptions: count, units: count, valueFen: count }).strict();

export const shiftSummaryInput = z
  .object({
    from: z.number().int().min(0),
    to: z.number().int().min(0).nullable(),
    cur: z.string().length(3).nullable().default('CNY'),
    cashiers: z.array(cashierLineInput).max(200),
  })
  .strict();

export const daySummaryInput = z
  .object({
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    cur: z.string().length(3).nullable().default('CNY'),
    products: z.array(productLineInput).max(500),
    cashiers: z.array(cashierLineInput).max(200),
  })
  .strict();

export type ShiftSlipSummary = z.output<typeof shiftSummaryInput>;
export type DaySlipSummary = z.output<typeof daySummaryInput>;

export const printerConfigInput = z
  .object({
    kind: z.enum(PRINTER_KINDS),
    path: plain(256),
    baudRate: z.literal([...BAUD_RATES]),
    host: z.string().max(253).regex(/^[A-Za-z0-9.:\-[\]]*$/),
    port: z.number().int().min(1).max(65535),
    osName: z.string().max(127).regex(/^[A-Za-z0-9_.@-]*$/),
    paper: z.literal([...PAPER_WIDTHS]),
    language: z.enum(SLIP_LANGUAGE_CHOICES),
    afterRedemption: z.enum(SLIP_POLICIES),
  })
  .strict();

export const printerCalls = {
  'printer.status': { input: z.object({}).strict() },
  'printer.configure': { input: printerConfigInput.partial().extend({ adminToken: token.optional() }).strict() },
  'printer.test': { input: z.object({}).strict() },
  'printer.printRedemption': { input: z.object({ eventId: z.string().min(1).max(100) }).strict() },
  'printer.printLast': { input: z.object({ adminToken: token.optional() }).strict() },
  /** A shift's slip (the open one when no id is given), from the core's own summary. */
  'printer.printShift': { input: z.object({ adminToken: token.optional(), shiftId: z.string().min(1).max(64).optional() }).strict() },
  /** A day's slip (today in the merchant's time zone when no day is given), from the core's own report. */
  'printer.printDay': { input: z.object({ adminToken: token.optional(), day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }).strict() },
} as const;

export interface PrinterResults {
  'printer.status': PrinterStatus;
  'printer.configure': PrinterStatus;
  'printer.test': Printed;
  'printer.printRedemption': Printed;
  'printer.printLast': Printed;
  'printer.printShift': Printed;
  'printer.printDay': Printed;
}
