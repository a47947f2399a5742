import { describe, expect, it } from 'vitest';
import { ERROR_CODES, UNTRANSLATED_ERROR_CODES, VERDICTS } from '../../preload/contract';
import { en } from '../../renderer/src/i18n/en';
import { resolveLanguage } from '../../renderer/src/i18n/locale';
import { zhCN } from '../../renderer/src/i18n/zh-CN';

/** Every leaf as 'a.b.c' → value. */
function leaves(obj: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
    else out.set(key, v);
  }
  return out;
}

const enLeaves = leaves(en);
const zhLeaves = leaves(zhCN);

/** The placeholders a text uses, such as {{time}}. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1] ?? '').sort();
}

describe('i18n resources', () => {
  it('en and zh-CN have the same keys', () => {
    expect([...zhLeaves.keys()].sort()).toEqual([...enLeaves.keys()].sort());
  });

  it('has no empty or non-string texts', () => {
    for (const [lang, map] of [
      ['en', enLeaves],
      ['zh-CN', zhLeaves],
    ] as const) {
      for (const [key, value] of map) {
        expect(typeof value, `${lang}: ${key}`).toBe('string');
        expect((value as string).trim(), `${lang}: ${key}`).not.toBe('');
      }
    }
  });

  it('uses the same placeholders in both languages', () => {
    for (const [key, value] of enLeaves) {
      expect(placeholders(String(zhLeaves.get(key))), key).toEqual(placeholders(String(value)));
    }
  });

  it('has a text for every verdict code', () => {
    for (const code of VERDICTS) {
      expect(enLeaves.has(`verdict.${code}`), code).toBe(true);
    }
  });

  it('has a text in both languages for every error code in the contract, and a fallback', () => {
    const untranslated: readonly string[] = UNTRANSLATED_ERROR_CODES;
    for (const code of ERROR_CODES) {
      if (untranslated.includes(code)) continue;
      expect(enLeaves.has(`errors.${code}`), `en: ${code}`).toBe(true);
      expect(zhLeaves.has(`errors.${code}`), `zh-CN: ${code}`).toBe(true);
    }
    expect(placeholders(String(enLeaves.get('errors.unknown')))).toEqual(['message']);
  });

  it('ALREADY_REDEEMED says when, by whom and where', () => {
    expect(placeholders(en.verdict.ALREADY_REDEEMED)).toEqual(['cashier', 'time', 'where']);
  });
});

describe('language choice', () => {
  it('follows the system when automatic', () => {
    expect(resolveLanguage('auto', 'zh-CN')).toBe('zh-CN');
    expect(resolveLanguage('auto', 'zh-TW')).toBe('zh-CN');
    expect(resolveLanguage('auto', 'zh')).toBe('zh-CN');
    expect(resolveLanguage('auto', 'en-GB')).toBe('en');
    expect(resolveLanguage('auto', 'de-DE')).toBe('en');
    expect(resolveLanguage(undefined, undefined)).toBe('en');
  });

  it('keeps an explicit choice whatever the system says', () => {
    expect(resolveLanguage('en', 'zh-CN')).toBe('en');
    expect(resolveLanguage('zh-CN', 'en-US')).toBe('zh-CN');
  });
});
