/**
 * A slip as lines of text with their style, before it becomes printer bytes
 * (escpos.ts). The layout is the printer's: a line is so many columns wide
 * (32 on 58 mm paper, 48 on 80 mm), a Chinese character takes two columns, and
 * double-size text takes twice the width. Nothing here knows ESC/POS.
 */
import iconv from 'iconv-lite';

export const PAPERS = { 58: { columns: 32, dots: 384 }, 80: { columns: 48, dots: 576 } } as const;
export type Paper = keyof typeof PAPERS;

export interface SlipLine {
  text: string;
  bold?: boolean;
  /** Double width and height (headings). */
  big?: boolean;
}

export interface Slip {
  /** What the slip is (the reprint and the logs name it): never voucher text. */
  title: string;
  lines: SlipLine[];
}

/**
 * The columns a text takes on the printer: a character in the printer's
 * Chinese code page (GB18030 in FS & mode) takes one column per byte, so a
 * Chinese character two, a Latin letter one.
 */
export function columnsOf(text: string): number {
  let n = 0;
  for (const ch of text) n += ch.charCodeAt(0) < 0x80 ? 1 : Math.min(2, iconv.encode(ch, 'gb18030').length);
  return n;
}

/** Cuts a text to at most `width` columns, never in the middle of a character. */
export function fit(text: string, width: number): string {
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = columnsOf(ch);
    if (used + w > width) break;
    out += ch;
    used += w;
  }
  return out;
}

/** Splits a text into lines of at most `width` columns (at spaces when it can). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text.trim();
  while (columnsOf(rest) > width) {
    // A line narrower than one character still takes that character (never loops).
    let head = fit(rest, width) || [...rest][0]!;
    const space = head.lastIndexOf(' ');
    if (space > 0 && rest[head.length] !== undefined && rest[head.length] !== ' ') head = head.slice(0, space);
    lines.push(head.trimEnd());
    rest = rest.slice(head.length).trimStart();
  }
  if (rest || !lines.length) lines.push(rest);
  return lines;
}

/** A text centred on the line (double-size text is half as many columns). */
export function centred(text: string, columns: number, big = false): SlipLine[] {
  const width = big ? Math.floor(columns / 2) : columns;
  return wrap(text, width).map((t) => {
    const pad = Math.floor((width - columnsOf(t)) / 2);
    return { text: ' '.repeat(pad) + t, ...(big ? { big: true, bold: true } : {}) };
  });
}

/** A label on the left and its value on the right; a long value goes under its label. */
export function pair(label: string, value: string, columns: number, bold = false): SlipLine[] {
  const gap = columns - columnsOf(label) - columnsOf(value);
  const style = bold ? { bold: true } : {};
  if (gap >= 1) return [{ text: label + ' '.repeat(gap) + value, ...style }];
  return [...wrap(label, columns).map((text) => ({ text, ...style })), ...wrap(value, columns).map((t) => ({ text: ' '.repeat(Math.max(0, columns - columnsOf(t))) + t, ...style }))];
}

/** Columns laid out left to right; the first takes what the others leave. */
export function row(cells: string[], widths: number[], columns: number): SlipLine {
  const first = columns - widths.reduce((a, b) => a + b, 0);
  const parts = cells.map((c, i) => {
    if (i === 0) {
      const t = fit(c, first - 1);
      return t + ' '.repeat(Math.max(0, first - columnsOf(t)));
    }
    const t = fit(c, widths[i - 1]!);
    return ' '.repeat(Math.max(0, widths[i - 1]! - columnsOf(t))) + t;
  });
  return { text: parts.join('').trimEnd() };
}

export const rule = (columns: number, ch = '-'): SlipLine => ({ text: ch.repeat(columns) });
