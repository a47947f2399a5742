/**
 * Every namespace of words, registered in one place. Each feature keeps its words beside
 * its screens in `strings.ts`, exporting `{ en, 'zh-CN' }`; a screen reads them with
 * `useTranslation('<namespace>')`, and another namespace's word as `t('<namespace>:key')`.
 */
import { backupStrings } from '../backup/strings';
import { catalogStrings } from '../catalog/strings';
import { appStrings } from '../components/strings';
import { crmStrings } from '../crm/strings';
import { keysStrings } from '../keys/strings';
import { helpStrings } from '../help/strings';
import { kioskStrings } from '../kiosk/strings';
import { redeemStrings } from '../redeem/strings';
import { reportsStrings } from '../reports/strings';
import { cameraStrings } from '../scanners/camera/strings';
import { scannerStrings } from '../scanners/strings';
import { settingsStrings } from '../settings/strings';
import { printerStrings } from '../settings/printer-strings';
import { staffStrings } from '../staff/strings';
import { shiftsStrings } from '../shifts/strings';
import { syncStrings } from '../sync/strings';
import { errorStrings } from './errors';
import type { Language } from './locale';

const namespaces = {
  app: appStrings,
  redeem: redeemStrings,
  keys: keysStrings,
  catalog: catalogStrings,
  settings: settingsStrings,
  printer: printerStrings,
  backup: backupStrings,
  shifts: shiftsStrings,
  crm: crmStrings,
  sync: syncStrings,
  staff: staffStrings,
  reports: reportsStrings,
  scanners: scannerStrings,
  camera: cameraStrings,
  kiosk: kioskStrings,
  help: helpStrings,
  errors: errorStrings,
};

export type Namespace = keyof typeof namespaces;
export const NAMESPACES = Object.keys(namespaces) as Namespace[];

type InLanguage = { [N in Namespace]: (typeof namespaces)[N]['en'] };

function inLanguage(language: Language): InLanguage {
  return Object.fromEntries(NAMESPACES.map((ns) => [ns, namespaces[ns][language]])) as InLanguage;
}

/** language → namespace → words, as i18next takes them. */
export const resources: Record<Language, InLanguage> = { en: inLanguage('en'), 'zh-CN': inLanguage('zh-CN') };
