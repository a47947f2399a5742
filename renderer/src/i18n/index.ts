/** i18next set up with the two languages, and the helpers every screen uses. */
import i18next, { type i18n as I18n, type InitOptions, type TFunction } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LANGUAGES, type Language } from './locale';
import { NAMESPACES, resources } from './resources';

export const i18n: I18n = i18next.createInstance();

/** How i18next is set up: every namespace bundled, English where a text is missing. */
export function i18nOptions(language: string): InitOptions {
  return {
    resources,
    ns: NAMESPACES,
    defaultNS: 'app',
    lng: language,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    initAsync: false,
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  };
}

/** Starts i18next synchronously (resources are bundled) in `language`. */
export function initI18n(language: Language): I18n {
  void i18n.use(initReactI18next).init(i18nOptions(language));
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

/**
 * The translated text for an error code (namespace 'errors', key = the code), or the English
 * message under a generic label. `t` may be any screen's: the namespace is given here.
 */
export function errorText(t: TFunction, error: unknown): string {
  const e = toErrorLike(error);
  // A CSV error without a line number has its own words (no empty placeholder).
  const code = e.code === 'import.badCsv' && e.params?.line == null ? 'import.badCsvNoLine' : e.code;
  const known = typeof i18n.getResource(i18n.language || 'en', 'errors', code) === 'string'
    || typeof i18n.getResource('en', 'errors', code) === 'string';
  // A role named in the answer (staff.roleRequired) is said in the reader's words.
  const params = typeof e.params?.role === 'string' ? { ...e.params, role: t(`roles.${e.params.role}`, { ns: 'errors' }) } : e.params;
  if (known) return t(code, { ...params, ns: 'errors' });
  return t('unknown', { message: e.message || e.code, ns: 'errors' });
}
