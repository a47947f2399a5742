import { randomBytes } from 'node:crypto';
import {
  checkCall,
  type CallName,
  type CallOutcome,
  type EventName,
  type EventPayloads,
  type Settings as SettingsView,
} from '../../preload/contract';
import { AdminSessions } from './admin';
import { AuditLog } from './audit/audit';
import type { Db } from './db/open';
import { openWorkstationDb } from './db/workstation';
import { IdleCheckpointer } from './db/checkpoint';
import { isUserError } from './errors';
import { KeyStore, type ProtectorMode } from './keystore/keystore';
import { Ledger } from './ledger/ledger';
import { createLogger, type Logger } from './log';
import { Redeemer, type Context } from './redeem/redeem';
import { appHandlers } from './handlers/app';
import { catalogHandlers } from './handlers/catalog';
import { keysHandlers } from './handlers/keys';
import { vouchersHandlers } from './handlers/vouchers';
import { crmHandlers } from './handlers/crm';
import { Crm } from './crm';
import { scannersHandlers } from './handlers/scanners';
import { ScannerService } from './scanners/service';
import { joinHandlers, type Deps, type HandlerMap, type Trusted } from './handlers/types';
import { syncHandlers } from './handlers/sync';
import { printerHandlers } from './handlers/printer';
import { ReceiptPrinter } from './receipts/printer';
import { kioskHandlers } from './handlers/kiosk';
import { shiftsHandlers } from './handlers/shifts';
import { Shifts } from './shifts/shifts';
import { undoWindowMinutes } from './shifts/undo';
import { reportsHandlers } from './handlers/reports';
import { SyncClient } from './sync/client';
import { Settings } from './settings';
import { Catalog } from './catalog/catalog';
import { Points } from './points/points';
import { securePrivateDir } from './paths';
import { PassphraseLockout } from './lockout';
import { StartPrefs } from './start-prefs';
import { typedCall, type Invoke } from './invoke';
import { staffHandlers } from './handlers/staff';
import { Staff } from './staff/staff';
import { Backups } from './backup/backups';
import { finishRestore } from './backup/restore';
import { backupHandlers } from './handlers/backup';

export interface CoreOptions {
  dataDir: string;
  protector: ProtectorMode;
  /** This workstation's id when no bundle names one. */
  device?: string | undefined;
  logger?: Logger;
  emit?: <E extends EventName>(name: E, payload: EventPayloads[E]) => void;
  /** Open the configured serial scanner (the core process; not the CLI or in-process tests). */
  scanners?: boolean;
  /** Run the sync loop with the platform (the core process; the CLI syncs on demand). */
  sync?: boolean;
  /**
   * The admin passphrase, when the database key is sealed with it (db/key.ts):
   * without it such a workstation does not open (`keystore.locked`). It opens
   * the database only; the key store stays locked until `keystore.unlock`.
   */
  passphrase?: string | undefined;
  /** The clock of the staff session and the admin tokens (tests: an idle sign-out without waiting). */
  clock?: () => number;
  /** Run the scheduled backups (the core process). */
  backups?: boolean;
}

type Handlers = HandlerMap<CallName>;

export { VERSION } from './version';

/**
 * A workstation keeps the protection it was set up with: keys sealed with the
 * admin passphrase (browser host, CLI, demo) stay so when the app opens the
 * same folder, and keys sealed by the OS keychain are never re-sealed elsewhere.
 */
function chooseProtector(settings: Settings, preferred: ProtectorMode): ProtectorMode {
  const stored = settings.get('keystore.protector');
  if (stored === 'passphrase') return { mode: 'passphrase' };
  if (stored === 'os' && preferred.mode === 'os') return preferred;
  if (stored === 'os') return { mode: 'os', os: unavailableKeychain };
  settings.set('keystore.protector', preferred.mode);
  return preferred;
}

const unavailableKeychain = {
  protect: () => Promise.reject(new Error('no OS keychain here')),
  unprotect: () => Promise.reject(new Error('no OS keychain here')),
};

export interface Core {
  readonly db: Db;
  readonly keystore: KeyStore;
  readonly ledger: Ledger;
  readonly redeemer: Redeemer;
  readonly settings: Settings;
  readonly catalog: Catalog;
  readonly points: Points;
  readonly crm: Crm;
  readonly admin: AdminSessions;
  readonly audit: AuditLog;
  readonly staff: Staff;
  readonly log: Logger;
  readonly sync: SyncClient;
  readonly backups: Backups;
  /**
   * Runs a call the way the renderer makes it: checked against the contract, errors as outcomes.
   * `trusted` is for the core's own callers (CLI, tests), never relayed from a page.
   */
  call(name: string, input: unknown, trusted?: Trusted): Promise<CallOutcome<unknown>>;
  /** The same, typed by the contract: the result, or the refusal thrown as a UserError (the CLI's way in). */
  invoke: Invoke;
  handlers: Handlers;
  close(): void;
}

export async function createCore(opts: CoreOptions): Promise<Core> {
  securePrivateDir(opts.dataDir);
  const log = opts.logger ?? createLogger(opts.dataDir);
  const lockout = new PassphraseLockout(opts.dataDir);
  let store;
  try {
    // A restore staged by `backup.restore` replaces this workstation's files now, before they are opened.
    const aside = finishRestore(opts.dataDir);
    if (aside) log.info('restore finished', { keptAside: true });
    const os = opts.protector.mode === 'os' ? opts.protector.os : null;
    store = await openWorkstationDb(opts.dataDir, { os, passphrase: opts.passphrase, lockout });
  } catch (e) {
    if (!opts.logger) log.close?.();
    throw e;
  }
  const { db, file: dbFile } = store;
  const checkpointer = new IdleCheckpointer(db, dbFile);
  const settings = new Settings(db);
  new StartPrefs(opts.dataDir).follow(settings);
  const protector = chooseProtector(settings, opts.protector);
  // A pending database key is sealed like the private keys: by the keychain at once, or by the
  // first admin passphrase (or the first check of one, after the move off a clear database).
  if (protector.mode === 'os' && opts.protector.mode === 'os') {
    try {
      await store.sealPendingWithOs(protector.os);
    } catch {
      // The keychain refused: the key stays pending, and is sealed at a later start.
    }
  }
  const keystore = new KeyStore(db, settings, protector, lockout, (record, key) => (protector.mode === 'passphrase' ? store.sealPending(record, key) : Promise.resolve()));
  if (store.admin && opts.passphrase) keystore.rememberProven(opts.passphrase, store.admin.record, store.admin.key);
  await keystore.start();
  const catalog = new Catalog(db);
  const points = new Points(db, settings);
  const ledger = new Ledger(db, { catalog, points, log });
  const admin = new AdminSessions(undefined, opts.clock);
  const audit = new AuditLog(db);
  const shifts = new Shifts(db);
  const emit = opts.emit ?? (() => {});

  if (!settings.get('device')) settings.set('device', opts.device ?? `POS-${randomBytes(3).toString('hex').toUpperCase()}`);

  const ctx: Context = {
    merchantId: () => keystore.merchant()?.id ?? null,
    toleranceSeconds: () => settings.getNumber('toleranceSeconds', 120),
    trustedTime: () => settings.getNumber('clock.trusted', 0),
    recordTrustedTime: (ms) => {
      if (ms > settings.getNumber('clock.trusted', 0)) settings.set('clock.trusted', String(ms));
    },
    device: () => settings.getJson<{ deviceId: string }>('server')?.deviceId ?? settings.get('device')!,
    branch: () => keystore.branch()?.id ?? null,
    cashier: () => staff.cashier(() => settings.get('cashier') || null),
  };
  // The clock reading at start is trusted like any other reading of this machine's clock.
  ctx.recordTrustedTime(Date.now());
  const sync = new SyncClient({ db, settings, keystore, catalog, ledger, ctx, log, onStatus: (s) => emit('sync.status', s) });
  const redeemer = new Redeemer(db, keystore, ledger, ctx, log, catalog, points, { online: sync, guard: (work) => checkpointer.during(work) });
  const printer = new ReceiptPrinter({
    settings,
    log,
    ledger,
    productName: (sku) => catalog.productName(sku),
    place: () => ({ shop: keystore.merchant()?.name ?? null, branch: keystore.branch()?.name ?? null, device: ctx.device() }),
    emit,
  });
  const crm = new Crm(db, settings, keystore, points, log, () => ctx.device(), ledger, (reason) => emit('crm.changed', { reason }));
  const staff = new Staff(db, settings, crm.tokens, audit, admin, emit, opts.clock);

  // Everything that follows the ledger, in one place. A local event is
  // uploaded at once, the CRM follows it (referral vouchers, members at the
  // counter; queued), and the page hears of it. Events from other
  // workstations arrive by the thousand during a sync: the sync status tells
  // the page about those, as it always has.
  ledger.onAppended((e) => {
    if (e.remote) return;
    emit('ledger.changed', { eventId: e.id });
    sync.kick();
    void crm.onLedgerChanged(e.id);
    printer.afterAppended(e);
  });

  const settingsView = (): SettingsView => ({
    toleranceSeconds: ctx.toleranceSeconds(),
    cashier: settings.get('cashier') ?? '',
    locale: (settings.get('locale') as SettingsView['locale'] | null) ?? 'auto',
    sound: settings.get('sound') !== '0',
    undoWindowMinutes: undoWindowMinutes(settings),
  });

  const keystoreChanged = () => emit('keystore.changed', { state: keystore.state() });

  const scanners = new ScannerService(settings, log, emit);
  const deps: Deps = { db, settings, keystore, ledger, catalog, points, redeemer, crm, admin, audit, staff, log, ctx, emit, protector, settingsView, keystoreChanged, scanners, sync, shifts };
  const backups = new Backups({ db, dbKey: store.key, dataDir: opts.dataDir, settings, log, os: opts.protector.mode === 'os' ? opts.protector.os : null, device: () => ctx.device() });
  const handlers = joinHandlers([appHandlers(deps), keysHandlers(deps), vouchersHandlers(deps), catalogHandlers(deps), crmHandlers(deps), scannersHandlers(deps), syncHandlers(deps), staffHandlers(deps), printerHandlers(deps, printer), kioskHandlers(deps, { dataDir: opts.dataDir, databaseFile: dbFile }), backupHandlers(deps, backups), shiftsHandlers(deps), reportsHandlers(deps)]);
  if (opts.sync) sync.start();
  if (opts.backups) backups.start();
  if (opts.scanners) scanners.start();

  const call = async (name: string, input: unknown, trusted: Trusted = {}): Promise<CallOutcome<unknown>> => {
    const checked = checkCall(name, input);
    if (!checked.ok) return checked;
    const started = performance.now();
    try {
      staff.before(checked.name);
      const handler = handlers[checked.name] as (i: unknown, t: Trusted) => unknown;
      const value = await handler(checked.input, trusted);
      log.info('call', { name: checked.name, ms: Math.round((performance.now() - started) * 100) / 100 });
      return { ok: true, value };
    } catch (e) {
      if (isUserError(e)) {
        log.info('call refused', { name: checked.name, code: e.code });
        return { ok: false, error: e.toCallError() };
      }
      // Unexpected: log the kind of error only, never its message (it might quote input).
      // The stack's frames say where; the message line is dropped because it may quote input.
      const where = e instanceof Error ? (e.stack ?? '').split('\n').slice(1, 6).join(' | ') : '';
      log.error('call failed', { name: checked.name, error: e instanceof Error ? e.name : typeof e, where });
      return { ok: false, error: { code: 'core.internal', message: 'Something went wrong inside VoucherDesk; nothing was changed.' } };
    }
  };

  return {
    db,
    keystore,
    ledger,
    redeemer,
    settings,
    catalog,
    points,
    crm,
    admin,
    audit,
    staff,
    log,
    call,
    invoke: typedCall(call),
    handlers,
    sync,
    backups,
    close: () => {
      backups.stop();
      checkpointer.stop();
      staff.stop();
      sync.stop();
      void scanners.stop();
      db.close();
      if (!opts.logger) log.close?.();
    },
  };
}
