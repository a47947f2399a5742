/** Sync with the group-buy platform: status, sync now, conflicts, close of day, batch file. */
import { z } from 'zod';
import { adminToken } from './common';
import type { CampaignMode } from './catalog';
import type { Summary } from './reports';

/** A problem in plain words: `code` is an i18n key (sync.err.*), params fill it. */
export interface SyncProblem {
  code: string;
  params?: Record<string, string | number>;
  at: number;
}

export interface SyncStatus {
  /** A server is named in the imported bundle. */
  configured: boolean;
  /** The key store is unlocked (the token can be read). */
  unlocked: boolean;
  url: string | null;
  deviceId: string | null;
  /** The server answered within the last minute. */
  online: boolean;
  /** When the server stopped answering (ms), or null while online or never tried. */
  offlineSince: number | null;
  /** Local events not yet on the server. */
  waiting: number;
  lastSync: number | null;
  lastErrors: SyncProblem[];
  /** Server time minus this machine's time (ms), when known. */
  clockOffsetMs: number | null;
  /** Set when the clock is wrong by more than 2 minutes. */
  clockWrongMinutes: number | null;
  running: boolean;
  progress: { phase: 'upload' | 'download'; done: number; total: number | null } | null;
  openConflicts: number;
  rejected: number;
  nextAttemptAt: number | null;
  /** Settings: how often changes are downloaded, and how long online-first waits for the server. */
  downloadEverySeconds: number;
  onlineTimeoutMs: number;
}

export interface SyncEventRef {
  id: string;
  branch: string | null;
  device: string | null;
  at: number | null;
  units: number | null;
  amount: number | null;
  cur: string | null;
  cashier: string | null;
}

export interface ConflictView {
  eventId: string;
  iss: string | null;
  jti: string | null;
  /** The event that lost (null when it is not known here). */
  event: SyncEventRef | null;
  first: SyncEventRef;
  /** 'upload' (our event came second), 'server' (told by the changes), 'online' (refused at the counter by the server). */
  origin: string;
  detectedAt: number;
  settledAt: number | null;
  settledBy: string | null;
  note: string | null;
}

export interface RejectedView {
  eventId: string;
  type: string;
  iss: string | null;
  jti: string | null;
  at: number | null;
  reason: string;
}

export interface DayCounts {
  redemptions: number;
  reversals: number;
  /** Net of reversals. */
  units: number;
  /** Minor units, net of reversals: value vouchers' amounts plus units × known product price. */
  gross: number;
  conflicts: number;
  /** False when some item redemption's product has no price here: then `gross` is incomplete and not compared. */
  grossComplete?: boolean;
}

export interface CloseDayReport {
  day: string;
  /** The day's window (ms, `to` excluded): the platform's, else the day in `timeZone`. */
  from: number;
  to: number;
  /** The merchant's time zone (IANA name) the window is told in. */
  timeZone: string;
  /** Whether a server is configured: without one the report is this ledger's alone. */
  configured: boolean;
  /** The ledger's lines for the window: per product, per cashier, totals. */
  lines: Summary;
  /** This workstation's own events. */
  workstation: DayCounts;
  /** Everything this ledger knows for the day (this workstation and the others' downloaded). */
  ledger: DayCounts;
  server: (DayCounts & { share: number; cur: string | null }) | null;
  /** Field names where the ledger and the server differ. */
  differences: string[];
  /** This workstation's redemptions of the day the platform reported beyond a campaign's stock (issue 15), each once. */
  oversold: { campaign: string | null; eventId: string; units: number; at: number }[];
  /**
   * The campaigns with a stock that ran during the day: what is left for all
   * branches as the platform counted it at close of day (`countedAt`; null:
   * counted on this workstation only), after this workstation gave its share back.
   */
  campaigns: { id: string; name: string; mode: CampaignMode; stock: number; left: number; countedAt: number | null }[];
  syncError: SyncProblem | null;
  closedAt: number;
  device: string;
  merchant: { id: string; name: string } | null;
  branch: { id: string; name: string } | null;
}

export interface ExportResult {
  fileName: string;
  content: string;
  count: number;
  signed: boolean;
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const syncCalls = {
  'sync.status': { input: z.object({}).strict() },
  'sync.now': { input: z.object({}).strict() },
  'sync.conflicts': { input: z.object({ includeSettled: z.boolean().optional() }).strict() },
  'sync.settle': { input: z.object({ adminToken: adminToken.optional(), eventId: z.string().min(1).max(64), note: z.string().trim().min(1).max(500) }).strict() },
  'sync.rejected': { input: z.object({}).strict() },
  'sync.export': { input: z.object({}).strict() },
  'sync.loadReceipt': { input: z.object({ content: z.string().max(50_000_000) }).strict() },
  'sync.closeDay': { input: z.object({ day: day.optional() }).strict() },
  'sync.closedDays': { input: z.object({}).strict() },
  'sync.setOptions': {
    input: z
      .object({
        adminToken: adminToken.optional(),
        downloadEverySeconds: z.number().int().min(10).max(86_400).optional(),
        onlineTimeoutMs: z.number().int().min(200).max(10_000).optional(),
      })
      .strict(),
  },
} as const;

export interface SyncResults {
  'sync.status': SyncStatus;
  'sync.now': SyncStatus;
  'sync.conflicts': ConflictView[];
  'sync.settle': ConflictView;
  'sync.rejected': RejectedView[];
  'sync.export': ExportResult;
  'sync.loadReceipt': { marked: number; unknown: number };
  'sync.closeDay': CloseDayReport;
  'sync.closedDays': { day: string; closedAt: number; differences: string[] }[];
  'sync.setOptions': SyncStatus;
}
