import { DEFAULT_UNDO_WINDOW_MINUTES } from './shifts/undo';
import { checkCall, type AppInfo, type CallOutcome, type KeystoreView, type Settings } from '../../preload/contract';
import { isUserError } from './errors';
import type { Core } from './services';
import { VERSION } from './version';

/**
 * The core process before the database can be opened: where the database key
 * is sealed with the admin passphrase (db/key.ts), nothing in the database can
 * be read until the passphrase is given. The gate answers the page's first
 * calls (what the window loads at start, and the unlock panel), refuses every
 * other call with `keystore.locked`, and opens the core with the passphrase of
 * the first `keystore.unlock` or `admin.login` that is right. A wrong one
 * changes nothing and is answered `admin.wrongPassphrase`.
 */
export class CoreGate {
  private core: Core | null = null;
  private opening: Promise<Core> | null = null;

  constructor(
    private readonly open: (passphrase?: string) => Promise<Core>,
    /** The shop's language kept beside the database (start-prefs.ts), so the unlock panel speaks it. */
    private readonly locale: () => Settings['locale'] = () => 'auto',
  ) {}

  /** Opens the core if it needs no passphrase; `locked` when it does. Other failures are thrown. */
  async start(): Promise<'open' | 'locked'> {
    try {
      this.core = await this.open();
      return 'open';
    } catch (e) {
      if (isUserError(e) && e.code === 'keystore.locked') return 'locked';
      throw e;
    }
  }

  get opened(): Core | null {
    return this.core;
  }

  async call(name: string, input: unknown): Promise<CallOutcome<unknown>> {
    if (this.core) return this.core.call(name, input);
    const checked = checkCall(name, input);
    if (!checked.ok) return checked;
    switch (checked.name) {
      case 'app.info':
        return { ok: true, value: LOCKED_INFO };
      case 'settings.get':
        return { ok: true, value: { ...DEFAULT_SETTINGS, locale: this.locale() } };
      case 'keystore.view':
        return { ok: true, value: LOCKED_VIEW };
      case 'keystore.unlock':
      case 'admin.login': {
        const { passphrase } = checked.input as { passphrase: string };
        try {
          const core = await this.openWith(passphrase);
          return await core.call(name, input);
        } catch (e) {
          if (isUserError(e)) return { ok: false, error: e.toCallError() };
          return { ok: false, error: { code: 'core.startFailed', message: 'The core could not open its database.' } };
        }
      }
      default:
        return { ok: false, error: { code: 'keystore.locked', message: 'The key store is locked: enter the admin passphrase first.' } };
    }
  }

  /** One opening at a time: a second unlock while the first runs waits for it. */
  private async openWith(passphrase: string): Promise<Core> {
    if (this.core) return this.core;
    while (this.opening) await this.opening.catch(() => {});
    if (this.core) return this.core;
    this.opening = this.open(passphrase);
    try {
      this.core = await this.opening;
      return this.core;
    } finally {
      this.opening = null;
    }
  }

  close(): void {
    this.core?.close();
  }
}

/** What the window needs to draw the unlock panel: nothing from the database. */
const LOCKED_INFO: AppInfo = {
  version: VERSION,
  device: '',
  keystore: 'locked',
  protector: 'passphrase',
  merchant: null,
  branch: null,
  adminConfigured: true,
  unlockBy: 'owner',
};

const DEFAULT_SETTINGS: Settings = { toleranceSeconds: 120, cashier: '', locale: 'auto', sound: true, undoWindowMinutes: DEFAULT_UNDO_WINDOW_MINUTES };

const LOCKED_VIEW: KeystoreView = { state: 'locked', protector: 'passphrase', merchant: null, branch: null, issuers: [], keys: [] };
