/**
 * Slips as the printer receives them: composed, encoded to ESC/POS, decoded
 * back from the bytes (test/support/escpos.ts) and drawn to a PNG; 58 and
 * 80 mm paper, English and Chinese.
 */
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { daySlip, redemptionSlip, shiftSlip, testSlip } from '../../main/core/receipts/compose';
import { encodeSlip } from '../../main/core/receipts/escpos';
import { PAPERS, columnsOf } from '../../main/core/receipts/slip';
import { decodeEscPos, renderSlipPng, textLines } from '../support/escpos';
import { REDEMPTION } from './support';

const TZ = 'Asia/Shanghai';

const decode = (bytes: Uint8Array) => decodeEscPos(bytes);

describe('slips decoded back from their ESC/POS bytes', () => {
  it('a redemption on 58 mm paper in English', () => {
    const bytes = encodeSlip(redemptionSlip(REDEMPTION, { paper: 58, language: 'en', timeZone: TZ }), 58);
    const d = decode(bytes);
    expect(textLines(d)).toEqual([
      '    老王火锅',
      '             徐汇店',
      '        Voucher redeemed',
      '--------------------------------',
      '双人火锅套餐',
      'Units taken                    2',
      'Units left                     3',
      '--------------------------------',
      'Time           30/11/2026, 18:05',
      'Branch                    徐汇店',
      'Till                       POS-1',
      'Cashier                    Li Na',
      'Ref                       8CDEF1',
      '--------------------------------',
      '           Thank you',
    ]);
    expect(d.lines[0]).toMatchObject({ big: true, bold: true });
    expect(d.lines.find((l) => l.text.startsWith('Units taken'))).toMatchObject({ bold: true, big: false });
    expect(d.inits).toBe(1);
    expect(d.cuts).toBe(1);
    expect(d.codepages).toContain(0); // the Latin lines in the default code page (CP437)
    expect(d.chineseRuns).toBeGreaterThan(0); // the Chinese ones in Chinese mode
    for (const l of d.lines) expect(columnsOf(l.text) * (l.big ? 2 : 1)).toBeLessThanOrEqual(32);
  });

  it('a redemption on 80 mm paper in Chinese, every Chinese line in FS & … FS . as GB18030', () => {
    const bytes = encodeSlip(redemptionSlip(REDEMPTION, { paper: 80, language: 'zh-CN', timeZone: TZ }), 80);
    const d = decode(bytes);
    const lines = textLines(d);
    expect(lines).toContain('核销份数' + ' '.repeat(48 - 8 - 1) + '2');
    expect(lines).toContain('时间' + ' '.repeat(48 - 4 - 16) + '2026/11/30 18:05');
    expect(lines).toContain('收银员' + ' '.repeat(48 - 6 - 5) + 'Li Na');
    expect(lines).toContain('券号尾号' + ' '.repeat(48 - 8 - 6) + '8CDEF1');
    expect(lines.at(-1)!.trim()).toBe('谢谢惠顾');
    // "核销" in GB18030 is BA CB CF FA, inside Chinese mode.
    const hex = Buffer.from(bytes).toString('hex');
    expect(hex).toContain('1c26' + 'bacbcffa');
    for (const l of d.lines) expect(columnsOf(l.text) * (l.big ? 2 : 1)).toBeLessThanOrEqual(48);
  });

  it('a stored-value redemption says the amount and the balance left', () => {
    const slip = redemptionSlip({ ...REDEMPTION, kind: 'value', product: null, units: null, amount: 1250, left: 0 }, { paper: 58, language: 'zh-CN', timeZone: TZ });
    const lines = textLines(decode(encodeSlip(slip, 58)));
    expect(lines).toContain('储值');
    expect(lines).toContain('扣款金额' + ' '.repeat(32 - 8 - 7) + '￥12.50');
    expect(lines).toContain('剩余余额' + ' '.repeat(32 - 8 - 6) + '已用完');
  });

  it('never carries the voucher text nor its full event id', () => {
    const voucherText = 'GBV1:eyJhbGciOiJFZERTQSJ9.secret.sig';
    const bytes = encodeSlip(redemptionSlip(REDEMPTION, { paper: 80, language: 'en', timeZone: TZ }), 80);
    const all = textLines(decode(bytes)).join('\n');
    expect(all).not.toContain(voucherText);
    expect(all).not.toContain(REDEMPTION.eventId);
    expect(all).not.toContain('7c2a');
  });

  it('shift and day summaries, per cashier and product, with totals', () => {
    const cashiers = [
      { name: 'Li Na', redemptions: 12, units: 20, valueFen: 123400, undos: 1 },
      { name: '王芳', redemptions: 3, units: 3, valueFen: 8800, undos: 0 },
    ];
    const shift = textLines(decode(encodeSlip(shiftSlip({ shop: 'Hotpot', branch: null, device: 'POS-1', from: REDEMPTION.at, to: null, cur: 'CNY', cashiers }, { paper: 58, language: 'en', timeZone: TZ }), 58)));
    expect(shift).toContain('Shift summary'.padStart(22));
    expect(shift).toContain('To                    still open');
    expect(shift).toContain('Name       Qty Units       Value');
    expect(shift).toContain('Li Na       12    20 1234.00 CNY');
    expect(shift).toContain('王芳         3     3   88.00 CNY');
    expect(shift).toContain('  Li Na Undone                 1');
    expect(shift).toContain('Redemptions                   15');
    expect(shift).toContain('Total value          1322.00 CNY');
    const day = textLines(
      decode(
        encodeSlip(
          daySlip(
            { shop: '老王火锅', branch: '徐汇店', device: 'POS-1', day: '2026-11-30', cur: 'CNY', products: [{ name: '双人火锅套餐', redemptions: 15, units: 23, valueFen: 132200 }], cashiers },
            { paper: 80, language: 'zh-CN', timeZone: TZ },
          ),
          80,
        ),
      ),
    );
    expect(day).toContain('2026-11-30'.padStart(29));
    expect(day).toContain('按商品');
    expect(day).toContain('双人火锅套餐             15     23     ￥1322.00');
    expect(day).toContain('合计金额                               ￥1322.00');
    expect(day).toContain('撤销' + ' '.repeat(48 - 4 - 1) + '1');
  });
});

/** Which rows of the image hold ink (dark pixels). */
function inkRows(png: PNG): boolean[] {
  const rows: boolean[] = [];
  for (let y = 0; y < png.height; y++) {
    let ink = false;
    for (let x = 0; x < png.width && !ink; x++) ink = png.data[(y * png.width + x) * 4]! < 128;
    rows.push(ink);
  }
  return rows;
}

describe('the slip drawn to an image', () => {
  for (const [paper, language] of [
    [58, 'zh-CN'],
    [80, 'en'],
  ] as const) {
    it(`${paper} mm, ${language}: as wide as the paper's dots, ink exactly on the printed lines`, async () => {
      const d = decode(encodeSlip(redemptionSlip(REDEMPTION, { paper, language, timeZone: TZ }), paper));
      const png = PNG.sync.read(await renderSlipPng(d, PAPERS[paper].dots, PAPERS[paper].columns));
      expect(png.width).toBe(PAPERS[paper].dots);
      const rows = inkRows(png);
      let y = 12;
      for (const l of d.lines) {
        const h = l.big ? 48 : 24;
        expect(rows.slice(y, y + h).some(Boolean), `ink for "${l.text}"`).toBe(l.text.trim() !== '');
        y += h;
      }
      expect(png.height).toBe(y + 12);
    });
  }

  it('a test page prints both scripts', () => {
    const lines = textLines(decode(encodeSlip(testSlip({ shop: null, branch: null, device: 'POS-1' }, 0, { paper: 58, language: 'en', timeZone: 'UTC' }), 58)));
    expect(lines).toContain('Chinese text: 中文打印测试');
    expect(lines).toContain('01234567890123456789012345678901');
  });
});

describe('layout', () => {
  it('wraps long text by columns (a Chinese character is two) and never loops on a narrow width', async () => {
    const { wrap } = await import('../../main/core/receipts/slip');
    expect(wrap('双人火锅套餐 Double hotpot set for two', 16)).toEqual(['双人火锅套餐', 'Double hotpot', 'set for two']);
    expect(wrap('火锅', 1)).toEqual(['火', '锅']);
  });
});
