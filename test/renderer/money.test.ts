import { describe, expect, it } from 'vitest';
import { currencyDigits, formatMoney, minorToDecimal, parseAmount, separatorsOf } from '../../renderer/src/money';

const EN = { decimal: '.', group: ',' };
const DE = { decimal: ',', group: '.' };

describe('money: minor units to text', () => {
  it('knows each currency’s fraction digits', () => {
    expect(currencyDigits('CNY')).toBe(2);
    expect(currencyDigits('USD')).toBe(2);
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('KWD')).toBe(3);
    expect(currencyDigits(null)).toBe(2);
    expect(currencyDigits('???')).toBe(2);
  });

  it('writes minor units as an exact decimal string', () => {
    expect(minorToDecimal(1250, 2)).toBe('12.50');
    expect(minorToDecimal(5, 2)).toBe('0.05');
    expect(minorToDecimal(0, 2)).toBe('0.00');
    expect(minorToDecimal(1200, 0)).toBe('1200');
    expect(minorToDecimal(1234, 3)).toBe('1.234');
    expect(minorToDecimal(-250, 2)).toBe('-2.50');
    expect(minorToDecimal(900719925474099, 2)).toBe('9007199254740.99');
  });

  it('formats for the locale from minor units', () => {
    expect(formatMoney(1250, 'CNY', 'zh-CN')).toBe('¥12.50');
    expect(formatMoney(1250, 'USD', 'en')).toBe('$12.50');
    expect(formatMoney(1250, 'CNY', 'en')).toBe('¥12.50'); // the narrow symbol: the shop's currency is plain at the counter
    expect(formatMoney(1200, 'JPY', 'en')).toBe('¥1,200');
    expect(formatMoney(10_000, 'CNY', 'en')).toMatch(/100\.00$/);
    // Large amounts stay exact (no float rounding of 0.1-steps).
    expect(formatMoney(123456789012345, 'CNY', 'zh-CN')).toBe('¥1,234,567,890,123.45');
    expect(formatMoney(1250, null, 'en')).toBe('12.50');
  });

  it('reads the locale’s separators', () => {
    expect(separatorsOf('en')).toEqual(EN);
    expect(separatorsOf('zh-CN')).toEqual(EN);
  });
});

describe('money: what the cashier types to minor units', () => {
  const cny = (s: string, seps = EN) => parseAmount(s, 2, seps);

  it('reads point and comma decimals exactly', () => {
    expect(cny('12.5')).toEqual({ ok: true, minor: 1250 });
    expect(cny('12,50')).toEqual({ ok: true, minor: 1250 });
    expect(cny('12')).toEqual({ ok: true, minor: 1200 });
    expect(cny('0.1')).toEqual({ ok: true, minor: 10 });
    expect(cny('0.29')).toEqual({ ok: true, minor: 29 }); // 0.29 * 100 is 28.999… in floats
    expect(cny('1.15')).toEqual({ ok: true, minor: 115 });
    expect(cny('.5')).toEqual({ ok: true, minor: 50 });
    expect(cny('12.')).toEqual({ ok: true, minor: 1200 });
    expect(cny(' 12.50 ')).toEqual({ ok: true, minor: 1250 });
    expect(cny('007.00')).toEqual({ ok: true, minor: 700 });
  });

  it('takes full-width digits and marks from a Chinese input method, and a currency sign', () => {
    expect(cny('１２．５')).toEqual({ ok: true, minor: 1250 });
    expect(cny('12。5')).toEqual({ ok: true, minor: 1250 });
    expect(cny('¥12.50')).toEqual({ ok: true, minor: 1250 });
    expect(cny('￥12.50')).toEqual({ ok: true, minor: 1250 });
  });

  it('tells grouping from decimals', () => {
    expect(cny('1,200')).toEqual({ ok: true, minor: 120000 });
    expect(cny('1,234,567.89')).toEqual({ ok: true, minor: 123456789 });
    expect(cny('1.234.567,89')).toEqual({ ok: true, minor: 123456789 });
    expect(cny('1 200,50')).toEqual({ ok: true, minor: 120050 });
    expect(cny('1.200', DE)).toEqual({ ok: true, minor: 120000 });
    // Three decimals on a two-decimal currency is refused, never rounded.
    expect(cny('1.200')).toEqual({ ok: false, problem: 'tooManyDecimals' });
    expect(cny('12.505')).toEqual({ ok: false, problem: 'tooManyDecimals' });
    expect(cny('1,2,3')).toEqual({ ok: false, problem: 'notNumber' });
    expect(cny('1.2.3,4')).toEqual({ ok: false, problem: 'notNumber' });
    expect(cny('1,2.5,0')).toEqual({ ok: false, problem: 'notNumber' });
  });

  it('follows the currency: none for JPY, three for KWD', () => {
    expect(parseAmount('1200', 0)).toEqual({ ok: true, minor: 1200 });
    expect(parseAmount('1,200', 0)).toEqual({ ok: true, minor: 1200 });
    expect(parseAmount('12.5', 0)).toEqual({ ok: false, problem: 'tooManyDecimals' });
    expect(parseAmount('1.5', 3)).toEqual({ ok: true, minor: 1500 });
    expect(parseAmount('1,234', 3)).toEqual({ ok: true, minor: 1234 });
  });

  it('refuses what is not an amount', () => {
    expect(cny('')).toEqual({ ok: false, problem: 'empty' });
    expect(cny('   ')).toEqual({ ok: false, problem: 'empty' });
    expect(cny('abc')).toEqual({ ok: false, problem: 'notNumber' });
    expect(cny('GBV1:eyJ0')).toEqual({ ok: false, problem: 'notNumber' });
    expect(cny('-5')).toEqual({ ok: false, problem: 'notNumber' });
    expect(cny('1e3')).toEqual({ ok: false, problem: 'notNumber' });
    expect(cny('.')).toEqual({ ok: false, problem: 'notNumber' });
    expect(cny('0')).toEqual({ ok: false, problem: 'zero' });
    expect(cny('0.00')).toEqual({ ok: false, problem: 'zero' });
    expect(cny('10000000000.01')).toEqual({ ok: false, problem: 'tooLarge' });
    expect(cny('99999999999999999999')).toEqual({ ok: false, problem: 'tooLarge' });
    expect(cny('10000000000')).toEqual({ ok: true, minor: 1_000_000_000_000 });
  });

  it('round-trips every amount up to ¥100 through text', () => {
    for (let minor = 1; minor <= 10_000; minor++) {
      expect(cny(minorToDecimal(minor, 2))).toEqual({ ok: true, minor });
    }
  });
});
