/**
 * `npx tsx scripts/slip.ts`: the README's printed slips
 * (docs/screenshots/slip-en.png, slip-zh-CN.png): a redemption slip encoded to
 * ESC/POS exactly as the printer receives it, decoded back from the bytes and
 * drawn on 58 mm paper (384 dots) by Chromium (test/support/escpos.ts).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redemptionSlip, type RedemptionSlipInput } from '../main/core/receipts/compose';
import { encodeSlip } from '../main/core/receipts/escpos';
import { PAPERS } from '../main/core/receipts/slip';
import { decodeEscPos, renderSlipPng } from '../test/support/escpos';

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshots');

const SAMPLE: RedemptionSlipInput = {
  shop: '老王火锅',
  branch: '徐汇店',
  device: 'POS-1A2B3C',
  eventId: '0193a1b2-7c2a-4e1b-9d2e-5f6a7b3f9c21',
  at: Date.UTC(2026, 10, 30, 11, 42),
  cashier: 'Li Na',
  kind: 'item',
  product: '双人火锅套餐 Double hotpot set',
  units: 2,
  amount: null,
  cur: 'CNY',
  left: 1,
};

async function main(): Promise<void> {
  for (const language of ['en', 'zh-CN'] as const) {
    const paper = 58;
    const bytes = encodeSlip(redemptionSlip(SAMPLE, { paper, language, timeZone: 'Asia/Shanghai' }), paper);
    const path = join(OUT, `slip-${language}.png`);
    await renderSlipPng(decodeEscPos(bytes), PAPERS[paper].dots, PAPERS[paper].columns, path);
    console.log(`${path} (${bytes.length} bytes of ESC/POS)`);
  }
}

void main();
