/**
 * The slip's words, in the language chosen for the printer (the shop's
 * printer may be set apart from the screens: a Chinese printer at a counter
 * whose screens are in English). Times and money are written the way that
 * language writes them.
 */
export const SLIP_LANGUAGES = ['en', 'zh-CN'] as const;
export type SlipLanguage = (typeof SLIP_LANGUAGES)[number];

const en = {
  redemption: 'Voucher redeemed',
  shift: 'Shift summary',
  day: 'Day summary',
  test: 'Printer test',
  testOk: 'If you can read this, the printer works.',
  testChinese: 'Chinese text: 中文打印测试',
  reprint: 'REPRINT',
  branch: 'Branch',
  device: 'Till',
  cashier: 'Cashier',
  time: 'Time',
  from: 'From',
  to: 'To',
  open: 'still open',
  product: 'Product',
  storedValue: 'Stored value',
  units: 'Units taken',
  amount: 'Amount paid',
  unitsLeft: 'Units left',
  balanceLeft: 'Balance left',
  usedUp: 'used up',
  ref: 'Ref',
  redemptions: 'Redemptions',
  value: 'Value',
  undos: 'Undone',
  totalValue: 'Total value',
  byCashier: 'By cashier',
  byProduct: 'By product',
  head: ['Name', 'Qty', 'Units', 'Value'],
  thanks: 'Thank you',
  printed: 'Printed',
};

const zhCN: typeof en = {
  redemption: '核销凭条',
  shift: '交班汇总',
  day: '日结汇总',
  test: '打印机测试',
  testOk: '能看到这行字，说明打印机正常。',
  testChinese: 'English text: printer test',
  reprint: '重打',
  branch: '门店',
  device: '收银台',
  cashier: '收银员',
  time: '时间',
  from: '开始',
  to: '结束',
  open: '未结束',
  product: '商品',
  storedValue: '储值',
  units: '核销份数',
  amount: '扣款金额',
  unitsLeft: '剩余份数',
  balanceLeft: '剩余余额',
  usedUp: '已用完',
  ref: '券号尾号',
  redemptions: '核销笔数',
  value: '金额',
  undos: '撤销',
  totalValue: '合计金额',
  byCashier: '按收银员',
  byProduct: '按商品',
  head: ['名称', '笔数', '份数', '金额'],
  thanks: '谢谢惠顾',
  printed: '打印时间',
};

export type SlipWords = typeof en;
export const slipWords: Record<SlipLanguage, SlipWords> = { en, 'zh-CN': zhCN };

/** A time as the slip's language writes it, in the workstation's time zone unless one is given. */
export function slipTime(ms: number, language: SlipLanguage, timeZone?: string): string {
  return new Intl.DateTimeFormat(language === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(timeZone ? { timeZone } : {}),
  }).format(ms);
}

/**
 * Money in minor units (fen): "¥12.50" in Chinese (the full-width yuan sign,
 * which the printer's Chinese code page has), "12.50 CNY" in English (the
 * printer's default code page has no yuan sign).
 */
export function slipMoney(minor: number, cur: string | null, language: SlipLanguage): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const n = `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  const c = cur ?? 'CNY';
  if (language === 'zh-CN') return c === 'CNY' ? `￥${n}` : `${n} ${c}`;
  return `${n} ${c}`;
}
