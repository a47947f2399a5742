/** Shifts at the counter: open (with optional counts), close with a summary per cashier, hand over, past shifts. */
import { z } from 'zod';
import { adminToken } from './common';
import type { UndoReason, Verdict } from './vouchers';

/** What was counted in the drawer at the start or the end of a shift, when the shop counts: paper vouchers and/or cash (fen). */
export interface ShiftCount {
  vouchers: number | null;
  cash: number | null;
}

export interface ShiftView {
  id: string;
  device: string;
  branch: string | null;
  openedAt: number;
  openedBy: string;
  opening: ShiftCount | null;
  closedAt: number | null;
  closedBy: string | null;
  closing: ShiftCount | null;
}

/** One undo in a shift: the reversal, what it gave back and why. */
export interface ShiftUndo {
  eventId: string;
  reverses: string | null;
  at: number;
  /** The reason's code, or null for a reason given in words only (older undos, other workstations). */
  code: UndoReason | null;
  text: string;
  units: number | null;
  amount: number | null;
}

/** One cashier's line in a shift summary. */
export interface ShiftCashierLine {
  cashier: string;
  /** Redemptions recorded (undone ones included; their undos are listed). */
  redemptions: number;
  /** Units taken from item and gift vouchers. */
  units: number;
  /** Value taken, in minor units (fen): stored-value vouchers' amounts, plus units × the product's price where the product list has one (as the reports count it). */
  value: number;
  undos: ShiftUndo[];
  /** Refused scans by verdict. */
  refusals: Partial<Record<Verdict, number>>;
}

/**
 * A shift's summary: a plain structure (printed on a slip, exported in reports).
 * Counted from this workstation's own ledger events and refused scans between
 * the opening and the closing (or now, for the open shift).
 */
export interface ShiftSummary {
  shift: ShiftView;
  /** The end of the counted window: the closing, or the moment the summary was made. */
  until: number;
  cashiers: ShiftCashierLine[];
  totals: { redemptions: number; units: number; value: number; undos: number; refusals: number };
}

const count = z.number().int().min(0).max(1_000_000_000_000);
const shiftCount = z.object({ vouchers: count.optional(), cash: count.optional() }).strict();

export const shiftsCalls = {
  'shift.current': { input: z.object({}).strict() },
  'shift.open': { input: z.object({ adminToken: adminToken.optional(), count: shiftCount.optional() }).strict() },
  'shift.close': { input: z.object({ adminToken: adminToken.optional(), count: shiftCount.optional() }).strict() },
  'shift.list': { input: z.object({ limit: z.number().int().min(1).max(500).default(30), before: z.number().int().min(0).optional() }).strict() },
  /** The summary of a shift by id, or of the open one. */
  'shift.summary': { input: z.object({ id: z.string().min(1).max(64).optional() }).strict() },
} as const;

export interface ShiftsResults {
  'shift.current': ShiftView | null;
  'shift.open': ShiftView;
  'shift.close': ShiftSummary;
  'shift.list': ShiftView[];
  'shift.summary': ShiftSummary;
}
