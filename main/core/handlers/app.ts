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
      if (toleranceSeconds !== undefined) {
        admin.require(adminToken);
        settings.set('toleranceSeconds', String(toleranceSeconds));
      }
      if (cashier !== undefined) {
        // The name recorded with every redemption: the admin's to change, once there is an admin passphrase.
        if (keystore.adminConfigured()) admin.require(adminToken);
        settings.set('cashier', cashier.trim());
      }
      if (undoWindowMinutes !== undefined) {
        const owner = admin.require(adminToken, 'owner');
        settings.set(UNDO_WINDOW_SETTING, String(undoWindowMinutes));
        audit.record('settings', owner, { key: UNDO_WINDOW_SETTING, value: undoWindowMinutes });
      }
      if (locale !== undefined) settings.set('locale', locale);
      if (sound !== undefined) settings.set('sound', sound ? '1' : '0');
      return settingsView();
    },
  };
}
