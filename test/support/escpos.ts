/**
 * The printer's side of a test: an ESC/POS stream as captured from the
 * emulated printer, decoded back into lines of text with their style (the
 * commands VoucherDesk's slips use: init, font, bold, size, alignment, code
 * page, FS & / FS . Chinese mode with GB18030 text, line feeds, feeds and the
 * cut), and those lines drawn as the paper would show them (one column =
 * dots / columns; a Chinese character two), screenshotted by Chromium to a PNG.
 *
 * An unknown command fails the decoding: a slip must only use what a plain
 * ESC/POS printer understands.
 */
import iconv from 'iconv-lite';
import { chromium } from 'playwright-core';

export interface DecodedLine {
  text: string;
  bold: boolean;
  /** Double width and height. */
  big: boolean;
  align: 'left' | 'center' | 'right';
}

export interface DecodedSlip {
  lines: DecodedLine[];
  cuts: number;
  inits: number;
  /** The single-byte code pages selected (ESC t n). */
  codepages: number[];
  /** How many times Chinese mode was switched on (FS &). */
  chineseRuns: number;
}

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;

export function decodeEscPos(bytes: Uint8Array): DecodedSlip {
  const out: DecodedSlip = { lines: [], cuts: 0, inits: 0, codepages: [], chineseRuns: 0 };
  let bold = false;
  let big = false;
  let align: DecodedLine['align'] = 'left';
  let chinese = false;
  let line: DecodedLine = { text: '', bold: false, big: false, align };
  let run: number[] = [];
  const flush = () => {
    if (!run.length) return;
    line.text += chinese ? iconv.decode(Buffer.from(run), 'gb18030') : iconv.decode(Buffer.from(run), 'cp437');
    run = [];
  };
  const endLine = () => {
    flush();
    out.lines.push({ ...line, text: line.text.replace(/\s+$/, '') });
    line = { text: '', bold: false, big: false, align };
  };
  const styleText = () => {
    // A line's style is the style of its first printed character.
    if (!line.text.trim() && !run.some((b) => b !== 0x20)) {
      line.bold = bold;
      line.big = big;
      line.align = align;
    }
  };
  let i = 0;
  const need = (n: number) => {
    if (i + n > bytes.length) throw new Error(`The stream ends inside a command at byte ${i}`);
  };
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === ESC) {
      need(2);
      const c = bytes[i + 1]!;
      flush();
      if (c === 0x40) {
        out.inits++;
        bold = big = chinese = false;
        align = 'left';
        i += 2;
      } else if (c === 0x45) {
        need(3);
        bold = (bytes[i + 2]! & 1) === 1;
        i += 3;
      } else if (c === 0x4d || c === 0x2d || c === 0x33 || c === 0x4a) {
        i += 3; // font, underline, line spacing, feed by dots
      } else if (c === 0x32) {
        i += 2;
      } else if (c === 0x74) {
        need(3);
        out.codepages.push(bytes[i + 2]!);
        i += 3;
      } else if (c === 0x61) {
        need(3);
        align = (['left', 'center', 'right'] as const)[bytes[i + 2]! % 48] ?? 'left';
        i += 3;
      } else if (c === 0x64) {
        need(3);
        for (let n = 0; n < bytes[i + 2]!; n++) endLine();
        i += 3;
      } else throw new Error(`Unknown command ESC 0x${c.toString(16)} at byte ${i}`);
    } else if (b === GS) {
      need(2);
      const c = bytes[i + 1]!;
      flush();
      if (c === 0x21) {
        need(3);
        big = bytes[i + 2]! !== 0;
        i += 3;
      } else if (c === 0x56) {
        need(3);
        out.cuts++;
        const m = bytes[i + 2]!;
        i += m === 65 || m === 66 ? 4 : 3;
      } else if (c === 0x42) {
        i += 3;
      } else throw new Error(`Unknown command GS 0x${c.toString(16)} at byte ${i}`);
    } else if (b === FS) {
      need(2);
      const c = bytes[i + 1]!;
      flush();
      if (c === 0x26) {
        chinese = true;
        out.chineseRuns++;
      } else if (c === 0x2e) chinese = false;
      else throw new Error(`Unknown command FS 0x${c.toString(16)} at byte ${i}`);
      i += 2;
    } else if (b === 0x0a) {
      endLine();
      i++;
    } else if (b === 0x0d) {
      i++;
    } else if (b < 0x20) {
      throw new Error(`Unknown control byte 0x${b.toString(16)} at byte ${i}`);
    } else {
      styleText();
      run.push(b);
      // A Chinese character's second byte (and a four-byte GB18030 sequence) belongs to it.
      if (chinese && b >= 0x81) {
        const second = bytes[i + 1]!;
        const four = second >= 0x30 && second <= 0x39;
        need(four ? 4 : 2);
        for (let k = 1; k < (four ? 4 : 2); k++) run.push(bytes[i + k]!);
        i += four ? 4 : 2;
      } else i++;
    }
  }
  flush();
  if (line.text) endLine();
  return out;
}

/** The decoded lines without the blank feed before the cut. */
export function textLines(slip: DecodedSlip): string[] {
  const lines = slip.lines.map((l) => l.text);
  while (lines.length && !lines[lines.length - 1]) lines.pop();
  return lines;
}

const wide = (ch: string) => ch.charCodeAt(0) >= 0x80 && iconv.encode(ch, 'gb18030').length >= 2;
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The lines as the paper shows them: `dots` wide, one column `dots / columns` dots. */
export function slipHtml(slip: DecodedSlip, dots: number, columns: number): string {
  const col = dots / columns;
  const lines = slip.lines
    .map((l) => {
      const scale = l.big ? 2 : 1;
      const cells = [...l.text]
        .map((ch) => `<span style="width:${col * (wide(ch) ? 2 : 1) * scale}px">${ch === ' ' ? '&nbsp;' : escapeHtml(ch)}</span>`)
        .join('');
      return `<div class="line" style="height:${24 * scale}px;font-size:${Math.round(col * 1.7 * scale)}px;font-weight:${l.bold ? 700 : 400};justify-content:${l.align === 'center' ? 'center' : l.align === 'right' ? 'flex-end' : 'flex-start'}">${cells}</div>`;
    })
    .join('');
  return `<!doctype html><meta charset="utf-8"><style>
    html,body{margin:0;background:#fff}
    #paper{width:${dots}px;padding:12px 0;background:#fff;color:#000;font-family:"WenQuanYi Micro Hei Mono","DejaVu Sans Mono",monospace}
    .line{display:flex;align-items:center;white-space:pre;overflow:hidden}
    .line span{display:inline-block;text-align:center;flex:none}
  </style><div id="paper">${lines}</div>`;
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Draws the decoded slip and screenshots the paper to a PNG (its width is the paper's dots). */
export async function renderSlipPng(slip: DecodedSlip, dots: number, columns: number, path?: string): Promise<Buffer> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: dots + 40, height: 400 }, deviceScaleFactor: 1 });
    await page.setContent(slipHtml(slip, dots, columns));
    return await page.locator('#paper').screenshot(path ? { path } : {});
  } finally {
    await browser.close();
  }
}
