/** i18next set up with the two languages, and the helpers every screen uses. */
import i18next, { type i18n as I18n, type TFunction } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zhCN } from './zh-CN';
import { LANGUAGES, type Language } from './locale';

export const resources = {
  en: { translation: en },
  'zh-CN': { translation: zhCN },
} as const;

export const i18n: I18n = i18next.createInstance();

/** Starts i18next synchronously (resources are bundled) in `language`. */
export function initI18n(language: Language): I18n {
  void i18n.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    initAsync: false,
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  document.documentElement.lang = language;
  return i18n;
}

export async function setLanguage(language: Language): Promise<void> {
  if (i18n.language !== language) await i18n.changeLanguage(language);
  document.documentElement.lang = language;
}

/** An error as the core or the API sends it. */
export interface ErrorLike {
  code: string;
  message: string;
  params?: Record<string, string | number>;
}

export function toErrorLike(e: unknown): ErrorLike {
  if (e && typeof e === 'object' && typeof (e as ErrorLike).code === 'string') {
    const { code, message, params } = e as ErrorLike;
    return { code, message: String(message ?? ''), params: params ?? {} };
  }
  return { code: 'core.internal', message: e instanceof Error ? e.message : String(e) };
}

/** The translated text for an error code, or the English message under a generic label. */
export function errorText(t: TFunction, error: unknown): string {
  const e = toErrorLike(error);
  // A CSV error without a line number has its own words (no empty placeholder).
  const code = e.code === 'import.badCsv' && e.params?.line == null ? 'import.badCsvNoLine' : e.code;
  const key = `errors.${code}`;
  const known = typeof i18n.getResource(i18n.language || 'en', 'translation', key) === 'string'
    || typeof i18n.getResource('en', 'translation', key) === 'string';
  if (known) return t(key, { ...e.params });
  return t('errors.unknown', { message: e.message || e.code });
}
