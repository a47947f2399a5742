/** The languages the screens are written in, and how the setting picks one. */

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];
export type LocaleSetting = 'auto' | Language;

/** 'auto' follows the system: any Chinese locale gets Simplified Chinese, everything else English. */
export function resolveLanguage(setting: LocaleSetting | undefined, systemLanguage: string | undefined): Language {
  if (setting === 'en' || setting === 'zh-CN') return setting;
  return (systemLanguage ?? '').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
