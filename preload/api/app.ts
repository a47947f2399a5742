/** The app, the admin login and the settings. */
import { z } from 'zod';
import { passphrase, adminToken } from './common';
import type { KeystoreView } from './keys';

export interface AppInfo {
  version: string;
  device: string;
  keystore: KeystoreView['state'];
  protector: KeystoreView['protector'];
  merchant: { id: string; name: string } | null;
  branch: { id: string; name: string } | null;
  adminConfigured: boolean;
  /**
   * Who must unlock the keys when the app opens: nobody where the OS keychain
   * holds them (they open with the workstation); the owner, with the admin
   * passphrase, where there is no OS keychain (the browser host, the CLI).
   */
  unlockBy: 'nobody' | 'owner';
}

/** The shop's language: the system's (`auto`) or one the app speaks. */
export const localeChoice = z.enum(['auto', 'en', 'zh-CN']);

export interface Settings {
  toleranceSeconds: number;
  cashier: string;
  locale: z.infer<typeof localeChoice>;
  sound: boolean;
  /** Minutes after a redemption during which a manager may undo it; after that only the owner (the owner sets it). */
  undoWindowMinutes: number;
}

export const appCalls = {
  'app.info': { input: z.object({}).strict() },
  // The length rule is the core's (admin.passphraseTooShort, with words for it), not a bare badInput.
  'admin.setup': { input: z.object({ passphrase: z.string().min(1).max(1024) }).strict() },
  'admin.login': { input: z.object({ passphrase }).strict() },
  'settings.get': { input: z.object({}).strict() },
  'settings.set': {
    input: z
      .object({
        adminToken: adminToken.optional(),
        toleranceSeconds: z.number().int().min(0).max(86400).optional(),
        cashier: z.string().max(64).optional(),
        locale: localeChoice.optional(),
        sound: z.boolean().optional(),
        undoWindowMinutes: z.number().int().min(0).max(10080).optional(),
      })
      .strict(),
  },
} as const;

export interface AppResults {
  'app.info': AppInfo;
  'admin.setup': { token: string; expiresAt: number };
  'admin.login': { token: string; expiresAt: number };
  'settings.get': Settings;
  'settings.set': Settings;
}
