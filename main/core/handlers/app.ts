/** The app, the admin login and the settings. */
import type { appCalls } from '../../../preload/api/app';
import { UNDO_WINDOW_SETTING } from '../shifts/undo';
import { VERSION } from '../version';
import type { Deps, HandlerMap } from './types';

export function appHandlers({ admin, audit, keystore, settings, ctx, protector, settingsView, keystoreChanged }: Deps): HandlerMap<keyof typeof appCalls> {
  return {
    'app.info': () => ({
      version: VERSION,
      device: ctx.device(),
      keystore: keystore.state(),
      protector: protector.mode,
      merchant: keystore.merchant(),
      branch: keystore.branch(),
      adminConfigured: keystore.adminConfigured(),
      unlockBy: protector.mode === 'os' ? 'nobody' : 'owner',
    }),
    'admin.setup': async ({ passphrase }) => {
      await keystore.setupAdmin(passphrase);
      keystoreChanged();
      return admin.issue();
    },
    'admin.login': async ({ passphrase }) => {
      await keystore.checkAdmin(passphrase);
      keystoreChanged();
      return admin.issue();
    },
    'settings.get': () => settingsView(),
    'settings.set': ({ adminToken, toleranceSeconds, cashier, locale, sound, undoWindowMinutes }) => {
      // The tolerance, the undo window, and the name recorded with every redemption once there is an admin passphrase, are the owner's to change.
      const ownerNeeded = toleranceSeconds !== undefined || undoWindowMinutes !== undefined || (cashier !== undefined && keystore.adminConfigured());
      const owner = ownerNeeded ? admin.require(adminToken, 'owner') : null;
      const changed: Record<string, string | number> = {};
      if (toleranceSeconds !== undefined) {
        settings.set('toleranceSeconds', String(toleranceSeconds));
        changed.toleranceSeconds = toleranceSeconds;
      }
      if (cashier !== undefined) {
        settings.set('cashier', cashier.trim());
        changed.cashier = cashier.trim();
      }
      if (undoWindowMinutes !== undefined) {
        settings.set(UNDO_WINDOW_SETTING, String(undoWindowMinutes));
        changed[UNDO_WINDOW_SETTING] = undoWindowMinutes;
      }
      if (locale !== undefined) settings.set('locale', locale);
      if (sound !== undefined) settings.set('sound', sound ? '1' : '0');
      // Which of the owner's settings changed (the language and the sound are anyone's, and not recorded).
      if (owner && Object.keys(changed).length) audit.record('settings', owner, { keys: Object.keys(changed).join(','), ...changed });
      return settingsView();
    },
  };
}
