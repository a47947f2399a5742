import type { Settings } from './settings';

export type Language = 'en' | 'zh-CN';

/**
 * The language of the workstation's screens, for the words the core writes
 * itself (the defaults an owner has not changed yet: referral voucher labels,
 * level perks, which are printed on vouchers and read at the counter). The
 * Settings choice; with "automatic" the system's, as the screens do it: any
 * Chinese locale is Simplified Chinese, everything else English.
 */
export function workstationLanguage(settings: Settings, systemLocale = Intl.DateTimeFormat().resolvedOptions().locale): Language {
  const chosen = settings.get('locale');
  if (chosen === 'en' || chosen === 'zh-CN') return chosen;
  return systemLocale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
