/**
 * The slips VoucherDesk prints: after a redemption, a shift summary, a day
 * summary and a test page. Each takes plain typed inputs and answers a Slip
 * (slip.ts) laid out for the paper's width.
 *
 * A slip never carries the voucher's text nor its full id: the voucher is named
 * by a short reference (the last characters of the redemption's event id),
 * enough to find it in the history and useless to redeem anything.
 */
import type { VoucherKind } from '../../../preload/api/vouchers';
import { PAPERS, centred, pair, row, rule, wrap, type Paper, type Slip, type SlipLine } from './slip';
import { slipMoney, slipTime, slipWords, type SlipLanguage, type SlipWords } from './words';

export interface SlipOptions {
  paper: Paper;
  language: SlipLanguage;
  /** The workstation's time zone unless given (tests fix it). */
  timeZone?: string | undefined;
}

/** Where a slip comes from: the shop, its branch and this till. */
export interface SlipPlace {
  shop: string | null;
  branch: string | null;
  device: string;
}

export interface RedemptionSlipInput extends SlipPlace {
  /** The redemption's event id: only its last characters are printed. */
  eventId: string;
  at: number;
  cashier: string | null;
  kind: VoucherKind;
  product: string | null;
  /** Units taken (item, gift). */
  units: number | null;
  /** Minor units paid from the balance (stored value). */
  amount: number | null;
  cur: string | null;
  /** What is left on the voucher after this redemption (units, or minor units for stored value). */
  left: number | null;
  reprint?: boolean;
}

export interface CashierLine {
  name: string;
  redemptions: number;
  units: number;
  /** Value in fen (minor units). */
  valueFen: number;
  undos: number;
}

export interface ShiftSlipInput extends SlipPlace {
  from: number;
  /** When the shift closed; null while it is open. */
  to: number | null;
  cur: string | null;
  cashiers: CashierLine[];
}

export interface ProductLine {
  name: string;
  redemptions: number;
  units: number;
  valueFen: number;
}

export interface DaySlipInput extends SlipPlace {
  /** The day, as the shop says it (YYYY-MM-DD in its time zone). */
  day: string;
  cur: string | null;
  products: ProductLine[];
  cashiers: CashierLine[];
}

/** The short reference printed for a voucher's redemption: the last 6 characters of its event id. */
export function shortRef(eventId: string): string {
  return eventId.replace(/[^0-9A-Za-z]/g, '').slice(-6).toUpperCase();
}

function header(place: SlipPlace, title: string, w: SlipWords, o: SlipOptions): SlipLine[] {
  const cols = PAPERS[o.paper].columns;
  const lines: SlipLine[] = [];
  if (place.shop) lines.push(...centred(place.shop, cols, true));
  if (place.branch) lines.push(...centred(place.branch, cols));
  lines.push(...centred(title, cols).map((l) => ({ ...l, bold: true })), rule(cols));
  return lines;
}

function placeLines(place: SlipPlace, w: SlipWords, cols: number): SlipLine[] {
  return [...(place.branch ? pair(w.branch, place.branch, cols) : []), ...pair(w.device, place.device, cols)];
}

export function redemptionSlip(r: RedemptionSlipInput, o: SlipOptions): Slip {
  const w = slipWords[o.language];
  const cols = PAPERS[o.paper].columns;
  const money = (minor: number) => slipMoney(minor, r.cur, o.language);
  const product = r.product ?? (r.kind === 'value' ? w.storedValue : '-');
  const lines: SlipLine[] = [...header(r, w.redemption, w, o)];
  if (r.reprint) lines.push(...centred(`*** ${w.reprint} ***`, cols));
  lines.push(...wrap(product, cols).map((text) => ({ text, bold: true })));
  if (r.kind === 'value') {
    lines.push(...pair(w.amount, r.amount != null ? money(r.amount) : '-', cols, true));
    if (r.left != null) lines.push(...pair(w.balanceLeft, r.left > 0 ? money(r.left) : w.usedUp, cols));
  } else {
    lines.push(...pair(w.units, String(r.units ?? 1), cols, true));
    if (r.left != null) lines.push(...pair(w.unitsLeft, r.left > 0 ? String(r.left) : w.usedUp, cols));
  }
  lines.push(rule(cols), ...pair(w.time, slipTime(r.at, o.language, o.timeZone), cols), ...placeLines(r, w, cols));
  if (r.cashier) lines.push(...pair(w.cashier, r.cashier, cols));
  lines.push(...pair(w.ref, shortRef(r.eventId), cols), rule(cols), ...centred(w.thanks, cols));
  return { title: `${w.redemption} ${shortRef(r.eventId)}`, lines };
}

function table(title: string, rows: { name: string; redemptions: number; units: number; valueFen: number }[], cur: string | null, o: SlipOptions): SlipLine[] {
  const w = slipWords[o.language];
  const cols = PAPERS[o.paper].columns;
  const widths = o.paper === 80 ? [6, 7, 14] : [4, 6, 12];
  const money = (minor: number) => slipMoney(minor, cur, o.language);
  return [
    { text: title, bold: true },
    row(w.head, widths, cols),
    ...rows.map((r) => row([r.name, String(r.redemptions), String(r.units), money(r.valueFen)], widths, cols)),
  ];
}

function totals(lines: CashierLine[] | ProductLine[], cur: string | null, undos: number | null, o: SlipOptions): SlipLine[] {
  const w = slipWords[o.language];
  const cols = PAPERS[o.paper].columns;
  const sum = (f: (l: ProductLine) => number) => (lines as ProductLine[]).reduce((a, l) => a + f(l), 0);
  return [
    rule(cols),
    ...pair(w.redemptions, String(sum((l) => l.redemptions)), cols, true),
    ...pair(w.units, String(sum((l) => l.units)), cols),
    ...pair(w.totalValue, slipMoney(sum((l) => l.valueFen), cur, o.language), cols, true),
    ...(undos !== null ? pair(w.undos, String(undos), cols) : []),
  ];
}

export function shiftSlip(s: ShiftSlipInput, o: SlipOptions): Slip {
  const w = slipWords[o.language];
  const cols = PAPERS[o.paper].columns;
  const undos = s.cashiers.reduce((a, c) => a + c.undos, 0);
  const lines: SlipLine[] = [
    ...header(s, w.shift, w, o),
    ...pair(w.from, slipTime(s.from, o.language, o.timeZone), cols),
    ...pair(w.to, s.to !== null ? slipTime(s.to, o.language, o.timeZone) : w.open, cols),
    ...placeLines(s, w, cols),
    rule(cols),
    ...table(w.byCashier, s.cashiers, s.cur, o),
    ...s.cashiers.filter((c) => c.undos > 0).flatMap((c) => pair(`  ${c.name} ${w.undos}`, String(c.undos), cols)),
    ...totals(s.cashiers, s.cur, undos, o),
  ];
  return { title: `${w.shift} ${slipTime(s.from, o.language, o.timeZone)}`, lines };
}

export function daySlip(d: DaySlipInput, o: SlipOptions): Slip {
  const w = slipWords[o.language];
  const cols = PAPERS[o.paper].columns;
  const undos = d.cashiers.reduce((a, c) => a + c.undos, 0);
  const lines: SlipLine[] = [
    ...header(d, w.day, w, o),
    ...centred(d.day, cols),
    ...placeLines(d, w, cols),
    rule(cols),
    ...table(w.byProduct, d.products, d.cur, o),
    rule(cols),
    ...table(w.byCashier, d.cashiers, d.cur, o),
    ...totals(d.products, d.cur, undos, o),
  ];
  return { title: `${w.day} ${d.day}`, lines };
}

export function testSlip(place: SlipPlace, at: number, o: SlipOptions): Slip {
  const w = slipWords[o.language];
  const cols = PAPERS[o.paper].columns;
  const lines: SlipLine[] = [
    ...header(place, w.test, w, o),
    ...wrap(w.testOk, cols).map((text) => ({ text })),
    ...wrap(w.testChinese, cols).map((text) => ({ text })),
    { text: '0123456789'.repeat(Math.ceil(cols / 10)).slice(0, cols) },
    ...pair(w.printed, slipTime(at, o.language, o.timeZone), cols),
    ...placeLines(place, w, cols),
  ];
  return { title: w.test, lines };
}
