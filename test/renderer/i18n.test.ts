import { describe, expect, it } from 'vitest';
import { ERROR_CODES, UNTRANSLATED_ERROR_CODES, VERDICTS } from '../../preload/contract';
import { errorText, i18n, i18nOptions } from '../../renderer/src/i18n';
import { resolveLanguage } from '../../renderer/src/i18n/locale';
import { NAMESPACES, resources } from '../../renderer/src/i18n/resources';

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

// Every namespace's leaves as '<namespace>.<key>': the error texts are 'errors.<code>'.
const en = resources.en;
const enLeaves = leaves(en);
const zhLeaves = leaves(resources['zh-CN']);

/** The placeholders a text uses, such as {{time}}. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1] ?? '').sort();
}

describe('i18n resources', () => {
  it('registers every namespace in both languages', () => {
    expect(Object.keys(resources.en).sort()).toEqual([...NAMESPACES].sort());
    expect(Object.keys(resources['zh-CN']).sort()).toEqual([...NAMESPACES].sort());
    for (const ns of NAMESPACES) expect([...enLeaves.keys()].some((k) => k.startsWith(`${ns}.`)), ns).toBe(true);
  });

  // Chinese has no plural forms: an English `_one` has no Chinese twin (i18next reads `_other` for every count).
  const zhKeyOf = (key: string) => key.replace(/_one$/, '_other');

  it('en and zh-CN have the same keys (but for English-only `_one` plurals)', () => {
    expect([...zhLeaves.keys()].sort()).toEqual([...new Set([...enLeaves.keys()].map(zhKeyOf))].sort());
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
      expect(placeholders(String(zhLeaves.get(zhKeyOf(key)))), key).toEqual(placeholders(String(value)));
    }
  });

  it('has a text for every verdict code', () => {
    for (const code of VERDICTS) {
      expect(enLeaves.has(`redeem.verdict.${code}`), code).toBe(true);
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
    expect(placeholders(en.redeem.verdict.ALREADY_REDEEMED)).toEqual(['cashier', 'time', 'where']);
  });
});

describe('texts through i18next', () => {
  it('every namespace, the camera and scanners too, fills in its parameters and falls back to English', async () => {
    await i18n.init(i18nOptions('en'));
    expect(i18n.t('camera:state_unavailable', { reason: 'X' })).toBe('The camera is not available here (X).');
    expect(i18n.t('scanners:state_connecting', { path: '/dev/ttyUSB0' })).toBe('Connecting to /dev/ttyUSB0…');
    expect(i18n.t('tabs.redeem')).toBe('Redeem');
    await i18n.changeLanguage('zh-CN');
    expect(i18n.t('camera:state_denied')).toContain('权限');
    await i18n.changeLanguage('fr');
    expect(i18n.t('camera:state_noCamera')).toBe(resources.en.camera.state_noCamera);
  });

  it('an error reads as the text for its code in the errors namespace, from any screen', async () => {
    await i18n.init(i18nOptions('en'));
    const t = i18n.getFixedT('en', 'catalog');
    expect(errorText(t, { code: 'import.badCsv', message: '', params: { line: 3 } })).toBe(resources.en.errors.import.badCsv.replace('{{line}}', '3'));
    expect(errorText(t, { code: 'import.badCsv', message: '' })).toBe(resources.en.errors.import.badCsvNoLine);
    expect(errorText(t, { code: 'crm.nameRequired', message: '' })).toBe(resources.en.errors.crm.nameRequired);
    expect(errorText(t, { code: 'no.such', message: 'boom' })).toBe('Error: boom');
    await i18n.changeLanguage('zh-CN');
    expect(errorText(i18n.getFixedT('zh-CN', 'keys'), { code: 'keys.wrongPassphrase', message: '' })).toBe(resources['zh-CN'].errors.keys.wrongPassphrase);
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
