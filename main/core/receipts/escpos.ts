/**
 * A slip as ESC/POS bytes. The encoder (@point-of-sale/receipt-printer-encoder)
 * writes the commands: initialise, bold, size, line feeds, the code page of the
 * Latin text, the cut. A line with any character outside ASCII is written in
 * the printer's Chinese mode (FS & … FS .) as GB18030 bytes (iconv-lite): the
 * code page Chinese thermal printers carry (GBK is its two-byte part).
 */
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import iconv from 'iconv-lite';
import { PAPERS, type Paper, type Slip } from './slip';

/** FS &: Chinese character mode on; FS .: off (back to the single-byte code page). */
export const CHINESE_ON = [0x1c, 0x26];
export const CHINESE_OFF = [0x1c, 0x2e];

const ascii = (text: string) => /^[\x20-\x7e]*$/.test(text);

export function encodeSlip(slip: Slip, paper: Paper): Uint8Array {
  const { columns } = PAPERS[paper];
  const e = new ReceiptPrinterEncoder({ language: 'esc-pos', columns, newline: '\n', feedBeforeCut: 4 });
  e.initialize().codepage('cp437');
  for (const line of slip.lines) {
    if (line.big) e.size(2, 2);
    if (line.bold) e.bold(true);
    if (ascii(line.text)) e.text(line.text);
    else e.raw(CHINESE_ON).raw(iconv.encode(line.text, 'gb18030')).raw(CHINESE_OFF);
    if (line.bold) e.bold(false);
    if (line.big) e.size(1, 1);
    e.newline();
  }
  return e.cut('partial').encode();
}
