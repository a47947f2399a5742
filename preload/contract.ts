/**
 * The API contract between the renderer and the core.
 *
 * Every call the renderer may make is listed here once: its name, the zod
 * schema of its input and the type of its result. The Electron main process
 * and the browser host both check each call against this map before relaying
 * it to the core process; the core checks it again before running a handler.
 *
 * This file is shared by both sides of the process boundary, so it imports
 * nothing but zod and holds no behaviour beyond validation.
 */
import type { z } from 'zod';

import { appCalls, type AppResults } from './api/app';
import { catalogCalls, type CatalogResults } from './api/catalog';
import { keysCalls, type KeysResults } from './api/keys';
import { vouchersCalls, type VouchersResults } from './api/vouchers';
import { crmCalls, type CrmResults } from './api/crm';
import { scannersCalls, type ScannersResults, type ScannerState } from './api/scanners';
import { syncCalls, type SyncResults, type SyncStatus } from './api/sync';
import { staffCalls, type StaffResults, type StaffState } from './api/staff';
import { printerCalls, type PrinterResults, type PrintResult } from './api/printer';
import { kioskCalls, type KioskResults, type KioskState } from './api/kiosk';
import { backupCalls, type BackupResults } from './api/backup';
import { shiftsCalls, type ShiftsResults } from './api/shifts';
import { reportsCalls, type ReportsResults } from './api/reports';
import type { ErrorCode } from './api/errors';
import type { KeystoreView } from './api/keys';

export * from './api/app';
export * from './api/catalog';
export * from './api/keys';
export * from './api/vouchers';
export * from './api/crm';
export * from './api/scanners';
export * from './api/sync';
export * from './api/staff';
export * from './api/printer';
export * from './api/kiosk';
export * from './api/backup';
export * from './api/shifts';
export * from './api/reports';
export * from './api/errors';
export { ROLES, type Role } from './api/common';

/** Joins the features' call maps; a name defined twice is a programming error. */
function joinCalls<T extends Record<string, unknown>[]>(...maps: T): void {
  const seen = new Set<string>();
  for (const m of maps) {
    for (const name of Object.keys(m)) {
      if (seen.has(name)) throw new Error(`The call ${name} is defined twice`);
      seen.add(name);
    }
  }
}
joinCalls(appCalls, keysCalls, vouchersCalls, catalogCalls, crmCalls, scannersCalls, syncCalls, staffCalls, printerCalls, kioskCalls, backupCalls, shiftsCalls, reportsCalls);

export const calls = { ...appCalls, ...keysCalls, ...vouchersCalls, ...catalogCalls, ...crmCalls, ...scannersCalls, ...syncCalls, ...staffCalls, ...printerCalls, ...kioskCalls, ...backupCalls, ...shiftsCalls, ...reportsCalls } as const;

/** The result type of every call, joined from the features. */
export interface CallResults extends AppResults, KeysResults, VouchersResults, CatalogResults, CrmResults, ScannersResults, SyncResults, StaffResults, PrinterResults, KioskResults, BackupResults, ShiftsResults, ReportsResults {}

export type CallName = keyof typeof calls;
export type CallInput<N extends CallName> = z.input<(typeof calls)[N]['input']>;
export type ParsedInput<N extends CallName> = z.output<(typeof calls)[N]['input']>;
export type CallResult<N extends CallName> = CallResults[N];

// ---------------------------------------------------------------- events

export interface EventPayloads {
  /** The ledger changed (a redemption or reversal was recorded). */
  'ledger.changed': { eventId: string };
  /** The key store was locked, unlocked or changed. */
  'keystore.changed': { state: KeystoreView['state'] };
  /** The CRM changed (members, circles, referral vouchers). */
  'crm.changed': { reason: string };
  /** A serial scanner read a code: for this app's own page only (it redeems it like a typed scan); never logged. */
  'scanner.code': { source: 'serial'; text: string };
  /** A scanner's state changed (connected, waiting for the device, error with the reason, noise, last code). */
  'scanner.state': ScannerState;
  /** The sync status changed (online/offline, waiting events, progress, errors). */
  'sync.status': SyncStatus;
  /** Someone signed in or out at the counter (or the idle sign-out), or the staff list changed. */
  'staff.changed': StaffState;
  /** A slip printed after a redemption by the "always" policy, or why it was not (the redemption stays recorded). */
  'printer.result': PrintResult;
  /** Kiosk mode was turned on or off, left or resumed (the Electron shell locks or frees its window). */
  'kiosk.changed': KioskState;
}
export const EVENT_NAMES = ['ledger.changed', 'keystore.changed', 'crm.changed', 'scanner.code', 'scanner.state', 'sync.status', 'staff.changed', 'printer.result', 'kiosk.changed'] as const satisfies readonly (keyof EventPayloads)[];
export type EventName = (typeof EVENT_NAMES)[number];

// ---------------------------------------------------------------- errors

/**
 * A failed call. `code` is a stable i18n key (for example `keys.wrongPassphrase`);
 * `message` is English for logs and the CLI; `params` fill the translated text.
 * Never contains secrets or voucher text.
 */
export interface CallError {
  code: ErrorCode;
  message: string;
  params?: Record<string, string | number>;
}

export type CallOutcome<T> = { ok: true; value: T } | { ok: false; error: CallError };

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
}

/**
 * Checks a call from the page: a known name and an input matching its schema.
 * Returns the parsed input, or a CallError that names the problem (never the input).
 */
export function checkCall(
  name: unknown,
  input: unknown,
): { ok: true; name: CallName; input: unknown } | { ok: false; error: CallError } {
  if (!isCallName(name)) {
    return { ok: false, error: { code: 'api.unknownCall', message: 'Unknown call' } };
  }
  const parsed = calls[name].input.safeParse(input ?? {});
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(input)').join(', ');
    return {
      ok: false,
      error: { code: 'api.badInput', message: `Invalid input for ${name}: ${fields}`, params: { call: name, fields } },
    };
  }
  return { ok: true, name, input: parsed.data };
}

/**
 * What preload exposes on `window.voucherdesk` (plain data only, so it crosses
 * the context bridge): each call resolves to its outcome, never throws.
 */
export interface VoucherDeskBridge {
  call(name: CallName, input: unknown): Promise<CallOutcome<unknown>>;
  on(event: EventName, fn: (payload: unknown) => void): () => void;
}

/** The typed API the renderer uses, built over a bridge (Electron) or HTTP (browser host). */
export interface VoucherDeskApi {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>>;
  on<E extends EventName>(event: E, fn: (payload: EventPayloads[E]) => void): () => void;
}

/** The error a rejected `api.call` throws in the renderer. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
