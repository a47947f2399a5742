/** Whole-workstation backup: back up now, the schedule, verify a file, restore (main/core/backup). */
import { z } from 'zod';
import { adminToken, passphrase } from './common';

/** What a backup holds, read from its header and checked against the database inside. */
export interface BackupSummary {
  /** When it was taken (ms). */
  at: number;
  device: string;
  merchant: { id: string; name: string } | null;
  events: number;
  lastEventId: string | null;
  /** The database's migration version. */
  schema: number;
  /** The VoucherDesk version that made it. */
  app: string;
}

export interface BackupSchedule {
  enabled: boolean;
  /** Local time of day, HH:MM. */
  time: string;
  folder: string;
  /** How many scheduled backups to keep in the folder (older ones are deleted). */
  keep: number;
}

export interface BackupStatus {
  schedule: BackupSchedule | null;
  /** The last backup, on demand or scheduled: when, whether it worked, the file, or why not (an error code). */
  last: { at: number; ok: boolean; file: string | null; scheduled: boolean; error: string | null } | null;
  /** A verified restore waiting for VoucherDesk to be closed and opened again. */
  staged: BackupSummary | null;
  /** Nothing here yet (no keys, no events, no admin passphrase): a restore needs no admin token. */
  fresh: boolean;
}

const path = z.string().min(1).max(4096);
/** Backups get their own passphrase (at least 8 characters), typed at backup and at restore. */
const backupPassphrase = passphrase.refine((p) => p.length >= 8, 'at least 8 characters');

export const backupCalls = {
  'backup.status': { input: z.object({}).strict() },
  /** Writes a backup to `path`: a file, or a folder (a USB stick) where it is named voucherdesk-<device>-<time>.vdbackup. */
  'backup.create': { input: z.object({ adminToken, path, passphrase: backupPassphrase }).strict() },
  'backup.setSchedule': {
    input: z
      .object({
        adminToken,
        enabled: z.boolean(),
        time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
        folder: z.string().max(4096),
        keep: z.number().int().min(1).max(365),
        /** Needed when turning the schedule on (its key is derived once and kept in the encrypted database). */
        passphrase: backupPassphrase.optional(),
      })
      .strict(),
  },
  /** Reads and checks a backup completely; replaces nothing. */
  'backup.verify': { input: z.object({ adminToken: adminToken.optional(), path, passphrase }).strict() },
  /**
   * Verifies, then stages the restore: it replaces this workstation's files at the next start
   * (the old ones kept aside). The owner's token is needed unless the workstation is fresh.
   */
  'backup.restore': { input: z.object({ adminToken: adminToken.optional(), path, passphrase }).strict() },
  /** A replaced workstation with its device bundle imported again: its own events come back from the platform. */
  'backup.rebuild': { input: z.object({ adminToken }).strict() },
} as const;

export interface BackupResults {
  'backup.status': BackupStatus;
  'backup.create': { file: string; summary: BackupSummary };
  'backup.setSchedule': BackupStatus;
  'backup.verify': BackupSummary;
  'backup.restore': { summary: BackupSummary; restartNeeded: true };
  /** Events added to the ledger, and those skipped (unreadable, or another device's). */
  'backup.rebuild': { events: number; skipped: number };
}
