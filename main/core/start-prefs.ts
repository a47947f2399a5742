import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localeChoice } from '../../preload/api/app';
import type { Settings as SettingsView } from '../../preload/contract';
import { writePrivateFileDurably } from './paths';
import type { Settings } from './settings';

type Locale = SettingsView['locale'];
/** A stored value the contract knows, else `auto`. */
const asLocale = (v: unknown): Locale => localeChoice.catch('auto').parse(v);
const FILE = 'window.json';

/**
 * What the window needs before the encrypted database can be opened: the
 * shop's language, so the unlock panel speaks it. Nothing personal: a copy
 * of the `locale` setting, kept beside the database in the clear and
 * rewritten whenever the setting changes.
 */
export class StartPrefs {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, FILE);
  }

  /** The language last chosen here; `auto` when none was, or the file is unreadable. */
  locale(): Locale {
    try {
      const v = (JSON.parse(readFileSync(this.file, 'utf8')) as { locale?: unknown }).locale;
      return asLocale(v);
    } catch {
      return 'auto';
    }
  }

  /** Keeps the copy in step with the settings from now on (and at once, for a workstation older than the copy). */
  follow(settings: Settings): void {
    const save = (value: string | null) => {
      const locale = asLocale(value);
      if (locale !== this.locale()) writePrivateFileDurably(this.file, JSON.stringify({ locale }));
    };
    save(settings.get('locale'));
    settings.onChange((key, value) => {
      if (key === 'locale') save(value);
    });
  }
}
