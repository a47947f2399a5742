/** What every screen reads from the app: the API, the workstation's state and settings. */
import { createContext, useContext } from 'react';
import type { AppInfo, CallInput, Settings, VoucherDeskApi } from '../../preload/contract';
import type { Language } from './i18n/locale';

export type Tab = 'redeem' | 'catalog' | 'members' | 'keys' | 'settings' | 'sync' | 'shift' | 'reports' | 'staff';

export interface AppContextValue {
  api: VoucherDeskApi;
  info: AppInfo;
  settings: Settings;
  /** The language the screens are shown in (the setting resolved). */
  language: Language;
  refreshInfo(): Promise<void>;
  /** Saves settings and returns them as stored; throws ApiError. */
  saveSettings(patch: CallInput<'settings.set'>): Promise<Settings>;
  /** Switches the language at once and remembers it in the settings. */
  setLocale(locale: Settings['locale']): void;
  goTo(tab: Tab): void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const v = useContext(AppContext);
  if (!v) throw new Error('useApp outside AppContext');
  return v;
}
