import type { CallName, CallResult, EventName, EventPayloads, ParsedInput, Settings as SettingsView } from '../../../preload/contract';
import type { AdminSessions } from '../admin';
import type { AuditLog } from '../audit/audit';
import type { Catalog } from '../catalog/catalog';
import type { Crm } from '../crm';
import type { Db } from '../db/open';
import type { KeyStore, ProtectorMode } from '../keystore/keystore';
import type { Ledger } from '../ledger/ledger';
import type { Logger } from '../log';
import type { Points } from '../points/points';
import type { Context, Redeemer } from '../redeem/redeem';
import type { ScannerService } from '../scanners/service';
import type { Settings } from '../settings';
import type { Staff } from '../staff/staff';
import type { Shifts } from '../shifts/shifts';
import type { SyncClient } from '../sync/client';

/**
 * What only the core's own callers (the CLI, the tests, the benchmarks) may add
 * to a call: never the page. The process bridge, the browser host and the
 * Electron relay carry the contract's input and nothing else, so a page cannot
 * pass its own clock (a not-yet-valid voucher redeemed, an event recorded in the
 * future) or ask for a voucher's raw claims.
 */
export interface Trusted {
  /** Decide at this instant (seconds since the epoch) instead of the clock's. */
  now?: number | undefined;
  /** Return the voucher's raw claims with the verdict (the CLI prints them). */
  claims?: boolean | undefined;
}

/** A feature's handlers: one function per call name of its part of the contract. */
export type HandlerMap<K extends CallName> = { [N in K]: (input: ParsedInput<N>, trusted: Trusted) => Promise<CallResult<N>> | CallResult<N> };

/** The core services a feature's handlers may use. */
export interface Deps {
  db: Db;
  settings: Settings;
  keystore: KeyStore;
  ledger: Ledger;
  catalog: Catalog;
  points: Points;
  redeemer: Redeemer;
  crm: Crm;
  admin: AdminSessions;
  audit: AuditLog;
  staff: Staff;
  log: Logger;
  ctx: Context;
  emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => void;
  protector: ProtectorMode;
  settingsView(): SettingsView;
  keystoreChanged(): void;
  scanners: ScannerService;
  sync: SyncClient;
  shifts: Shifts;
}

/** Joins the features' handler maps into one; registering a name twice throws. */
export function joinHandlers(maps: Partial<Record<CallName, unknown>>[]): HandlerMap<CallName> {
  const all: Record<string, unknown> = {};
  for (const m of maps) {
    for (const [name, fn] of Object.entries(m)) {
      if (name in all) throw new Error(`The handler ${name} is registered twice`);
      all[name] = fn;
    }
  }
  return all as never;
}
