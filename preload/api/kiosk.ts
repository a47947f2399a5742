/** The counter PC as a kiosk (full screen, no way out without a manager), and what the About/Help screen shows. */
import { z } from 'zod';
import { adminToken } from './common';

export interface KioskState {
  /** The owner's setting: the app starts full screen and locked. */
  enabled: boolean;
  /** Locked now: on, and nobody with the manager role let the counter out since this start (or it was resumed). */
  locked: boolean;
}

/** What the About/Help screen tells whoever sits at the counter (no secrets: places and names). */
export interface AboutInfo {
  version: string;
  device: string;
  merchant: { id: string; name: string } | null;
  branch: { id: string; name: string } | null;
  /** The data folder: the database, the sealed keys, the logs. */
  dataDir: string;
  /** The log folder (core.log). */
  logDir: string;
  /** The workstation's database file (encrypted). */
  databaseFile: string;
}

export const kioskCalls = {
  'kiosk.get': { input: z.object({}).strict() },
  /** The owner turns kiosk mode on or off (recorded in the audit log). */
  'kiosk.set': { input: z.object({ adminToken: adminToken.optional(), on: z.boolean() }).strict() },
  /** A manager (or the owner) lets the counter out of kiosk mode until `kiosk.resume` or the next start (recorded in the audit log). */
  'kiosk.leave': { input: z.object({ adminToken: adminToken.optional() }).strict() },
  /** Back into kiosk mode after a leave: anyone may lock the counter again. */
  'kiosk.resume': { input: z.object({}).strict() },
  'app.about': { input: z.object({}).strict() },
} as const;

export interface KioskResults {
  'kiosk.get': KioskState;
  'kiosk.set': KioskState;
  'kiosk.leave': KioskState;
  'kiosk.resume': KioskState;
  'app.about': AboutInfo;
}
