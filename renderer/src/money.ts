/**
 * Money on the screens: integer minor units (fen, cents) everywhere, turned
 * into text for the locale and back from what the cashier types by string
 * work only, never by multiplying floats.
 */

const digitsCache = new Map<string, number>();

/** The currency's fraction digits (CNY 2, JPY 0, KWD 3); 2 when unknown. */
export function currencyDigits(cur: string | null | undefined): number {
  if (!cur) return 2;
  let d = digitsCache.get(cur);
  if (d === undefined) {
    try {
      d = new Intl.NumberFormat('en', { style: 'currency', currency: cur }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      d = 2;
    }
    digitsCache.set(cur, d);
  }
  return d;
}

/** An integer amount of minor units as an exact decimal string: 1250, 2 → "12.50"; 5, 2 → "0.05". */
export function minorToDecimal(minor: number, digits: number): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError('minor units must be a safe integer');
  const sign = minor < 0 ? '-' : '';
  const s = String(Math.abs(minor));
  if (digits <= 0) return sign + s;
  const padded = s.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

const formats = new Map<string, Intl.NumberFormat>();

function currencyFormat(locale: string, cur: string): Intl.NumberFormat | null {
  const key = `${locale}|${cur}`;
  let f = formats.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(locale, { style: 'currency', currency: cur, currencyDisplay: 'narrowSymbol' });
    } catch {
      return null;
    }
    formats.set(key, f);
  }
  return f;
}

/** Formats minor units in the currency's format for the locale ("¥12.50", "$0.05", "¥1,200"). */
export function formatMoney(minor: number, cur: string | null | undefined, locale: string): string {
  const f = cur ? currencyFormat(locale, cur) : null;
  const digits = currencyDigits(cur);
  const decimal = minorToDecimal(minor, digits) as Intl.StringNumericLiteral;
  if (!f) {
    const plain = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(decimal);
    return cur ? `${plain} ${cur}` : plain;
  }
  return f.format(decimal);
}

/** The symbol shown beside an amount field ("¥", "$", "CN¥"), or the code. */
export function currencySymbol(cur: string | null | undefined, locale: string): string {
  if (!cur) return '';
  const f = currencyFormat(locale, cur);
  return f?.formatToParts(0).find((p) => p.type === 'currency')?.value ?? cur;
}

/** The locale's decimal and grouping characters ("." and "," for en and zh-CN). */
export function separatorsOf(locale: string): { decimal: string; group: string } {
  try {
    const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
    return {
      decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
      group: parts.find((p) => p.type === 'group')?.value ?? ',',
    };
  } catch {
    return { decimal: '.', group: ',' };
  }
}

/** The largest amount the core takes in one purchase. */
export const MAX_AMOUNT = 1_000_000_000_000;

export type AmountProblem = 'empty' | 'notNumber' | 'tooManyDecimals' | 'zero' | 'tooLarge';
export type ParsedAmount = { ok: true; minor: number } | { ok: false; problem: AmountProblem };

/**
 * What the cashier typed ("12.5", "12,50", "１２。５", "¥1,200.00") as minor
 * units of a currency with `digits` fraction digits. One separator is the
 * decimal mark, unless it is the locale's grouping mark followed by exactly
 * three digits ("1,200"); with both "." and ",", the last one is the decimal
 * mark. More decimals than the currency has is refused, never rounded.
 */
export function parseAmount(input: string, digits: number, seps: { decimal: string; group: string } = { decimal: '.', group: ',' }): ParsedAmount {
  let s = input
    .normalize('NFKC') // full-width digits and marks from a Chinese input method
    .replace(/[。．]/g, '.')
    .replace(/[\s\u00a0\u202f']/g, '')
    .replace(/\p{Sc}/gu, '');
  if (s === '') return { ok: false, problem: 'empty' };
  if (!/^[0-9.,]+$/.test(s)) return { ok: false, problem: 'notNumber' };

  const marks = [...s].filter((c) => c === '.' || c === ',');
  let int: string;
  let frac = '';
  if (marks.length === 0) {
    int = s;
  } else if (new Set(marks).size === 2) {
    const at = Math.max(s.lastIndexOf('.'), s.lastIndexOf(','));
    const mark = s[at]!;
    if (marks.filter((c) => c === mark).length > 1) return { ok: false, problem: 'notNumber' };
    const head = s.slice(0, at);
    if (!isGrouped(head, mark === '.' ? ',' : '.')) return { ok: false, problem: 'notNumber' };
    int = head.replace(/[.,]/g, '');
    frac = s.slice(at + 1);
  } else if (marks.length > 1) {
    // "1,234,567": grouping only.
    if (!isGrouped(s, marks[0]!)) return { ok: false, problem: 'notNumber' };
    int = s.replace(/[.,]/g, '');
  } else {
    const at = s.indexOf(marks[0]!);
    const after = s.slice(at + 1);
    const grouping = after.length === 3 && at > 0 && digits < 3 && marks[0] === seps.group && marks[0] !== seps.decimal;
    if (grouping) {
      int = s.slice(0, at) + after;
    } else {
      int = s.slice(0, at);
      frac = after;
    }
  }
  if (int === '' && frac === '') return { ok: false, problem: 'notNumber' };
  if (frac.length > digits) return { ok: false, problem: 'tooManyDecimals' };
  s = (int + frac.padEnd(digits, '0')).replace(/^0+(?=\d)/, '');
  if (s.length > 16) return { ok: false, problem: 'tooLarge' };
  const minor = Number(s);
  if (minor === 0) return { ok: false, problem: 'zero' };
  if (minor > MAX_AMOUNT) return { ok: false, problem: 'tooLarge' };
  return { ok: true, minor };
}

/** "1,234,567" with `mark` between groups: 1 to 3 digits, then groups of exactly 3. */
function isGrouped(s: string, mark: string): boolean {
  const groups = s.split(mark);
  if (groups.length === 1) return /^\d*$/.test(s);
  return /^\d{1,3}$/.test(groups[0]!) && groups.slice(1).every((g) => /^\d{3}$/.test(g));
}
