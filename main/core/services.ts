import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  checkCall,
  type CallName,
  type CallOutcome,
  type CallResult,
  type EventName,
  type EventPayloads,
  type ParsedInput,
  type Settings as SettingsView,
} from '../../preload/contract';
import { AdminSessions } from './admin';
import { openDatabase, type Db } from './db/open';
import { isUserError, UserError } from './errors';
import { KeyStore, type ProtectorMode } from './keystore/keystore';
import { Ledger, toHistoryEntry } from './ledger/ledger';
import { createLogger, type Logger } from './log';
import { Redeemer, withoutClaims, type Context } from './redeem/redeem';
import { Settings } from './settings';
import { Catalog, campaignRow } from './catalog/catalog';
import { Points } from './points/points';

export interface CoreOptions {
  dataDir: string;
  protector: ProtectorMode;
  /** This workstation's id when no bundle names one. */
  device?: string | undefined;
  logger?: Logger;
  emit?: <E extends EventName>(name: E, payload: EventPayloads[E]) => void;
}

type Handlers = { [N in CallName]: (input: ParsedInput<N>) => Promise<CallResult<N>> | CallResult<N> };

export const VERSION = '0.1.0';

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
  readonly admin: AdminSessions;
  readonly log: Logger;
  /** Runs a call the way the renderer makes it: checked against the contract, errors as outcomes. */
  call(name: string, input: unknown): Promise<CallOutcome<unknown>>;
  handlers: Handlers;
  close(): void;
}

export async function createCore(opts: CoreOptions): Promise<Core> {
  const log = opts.logger ?? createLogger(opts.dataDir);
  const db = openDatabase(join(opts.dataDir, 'voucherdesk.db'));
  const settings = new Settings(db);
  const protector = chooseProtector(settings, opts.protector);
  const keystore = new KeyStore(db, settings, protector);
  await keystore.start();
  const ledger = new Ledger(db);
  const catalog = new Catalog(db);
  const points = new Points(db, settings);
  const admin = new AdminSessions();
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
    cashier: () => settings.get('cashier') || null,
  };
  // The clock reading at start is trusted like any other reading of this machine's clock.
  ctx.recordTrustedTime(Date.now());
  const redeemer = new Redeemer(db, keystore, ledger, ctx, log, catalog, points);

  const settingsView = (): SettingsView => ({
    toleranceSeconds: ctx.toleranceSeconds(),
    cashier: settings.get('cashier') ?? '',
    locale: (settings.get('locale') as SettingsView['locale'] | null) ?? 'auto',
    sound: settings.get('sound') !== '0',
  });

  const keystoreChanged = () => emit('keystore.changed', { state: keystore.state() });

  const handlers: Handlers = {
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
    'keystore.view': () => keystore.view(),
    'keystore.unlock': async ({ passphrase }) => {
      await keystore.unlock(passphrase);
      keystoreChanged();
      return keystore.view();
    },
    'keystore.lock': () => {
      keystore.lock();
      keystoreChanged();
      return keystore.view();
    },
    'keystore.import': async ({ adminToken, ...req }) => {
      admin.require(adminToken);
      const result = await keystore.import({ ...req, now: Date.now() });
      log.info('keys imported', { added: result.added.length, warnings: result.warnings.join(',') });
      keystoreChanged();
      return result;
    },
    'keystore.remove': ({ adminToken, kid }) => {
      admin.require(adminToken);
      keystore.remove(kid);
      log.info('key removed');
      keystoreChanged();
      return keystore.view();
    },
    'voucher.verify': async ({ text, pin, now }) => withoutClaims(await redeemer.verify(text, { pin, now })),
    'voucher.redeem': async ({ text, pin, units, amount, now }) => {
      const result = await redeemer.redeem(text, { pin, units, amount, now });
      if (result.event) emit('ledger.changed', { eventId: result.event.id });
      return withoutClaims(result);
    },
    'ledger.history': ({ limit, beforeSeq }) =>
      ledger.history(limit, beforeSeq).map((e) => toHistoryEntry(e, catalog.productName(e.sku))),
    'ledger.reverse': ({ adminToken, eventId, reason }) => {
      admin.require(adminToken);
      const at = Date.now();
      const e = ledger.reverse(eventId, { at, device: ctx.device(), branch: ctx.branch(), by: ctx.cashier() ?? 'admin', reason }, (orig, reversalId) => {
        if (orig.cmp) catalog.releaseCampaign(orig.cmp, orig.kind === 'value' ? 1 : (orig.units ?? 0));
        points.reverse(orig.id, reversalId, at);
      });
      log.info('reversed', { event: e.id, reverses: eventId });
      emit('ledger.changed', { eventId: e.id });
      return toHistoryEntry(e, catalog.productName(e.sku));
    },
    'voucher.unlockPin': ({ adminToken, iss, jti }) => {
      admin.require(adminToken);
      redeemer.unlockPin(iss, jti);
      log.info('pin unlocked', { iss, jti });
      return { ok: true as const };
    },
    'products.list': ({ query, limit }) => catalog.products(query, limit),
    'products.import': ({ adminToken, fileName, content }) => {
      admin.require(adminToken);
      return catalog.importProducts(fileName, content);
    },
    'revocations.list': ({ limit }) => catalog.revocations(limit),
    'revocations.import': ({ adminToken, fileName, content }) => {
      admin.require(adminToken);
      return catalog.importRevocations(fileName, content, Date.now());
    },
    'campaigns.list': () => catalog.campaigns(),
    'campaigns.set': ({ adminToken, id, name, stock, from, to, hours }) => {
      admin.require(adminToken);
      const row = campaignRow.safeParse({ id, name, stock: stock ?? undefined, from: from ?? undefined, to: to ?? undefined, hours: hours ?? undefined });
      if (!row.success) throw new UserError('campaigns.badInput', 'Check the campaign: hours look like 10:00-22:00.');
      return catalog.setCampaign(row.data, 'admin', Date.now());
    },
    'campaigns.delete': ({ adminToken, id }) => {
      admin.require(adminToken);
      catalog.deleteCampaign(id);
      return catalog.campaigns();
    },
    'campaigns.import': ({ adminToken, fileName, content }) => {
      admin.require(adminToken);
      return catalog.importCampaigns(fileName, content, Date.now());
    },
    'points.rules': () => points.rules(),
    'points.setRules': ({ adminToken, ...rules }) => {
      admin.require(adminToken);
      return points.setRules(rules);
    },
    'points.show': ({ holder }) => points.show(holder),
    'settings.get': () => settingsView(),
    'settings.set': ({ adminToken, toleranceSeconds, cashier, locale, sound }) => {
      if (toleranceSeconds !== undefined) {
        admin.require(adminToken);
        settings.set('toleranceSeconds', String(toleranceSeconds));
      }
      if (cashier !== undefined) settings.set('cashier', cashier.trim());
      if (locale !== undefined) settings.set('locale', locale);
      if (sound !== undefined) settings.set('sound', sound ? '1' : '0');
      return settingsView();
    },
  };

  const call = async (name: string, input: unknown): Promise<CallOutcome<unknown>> => {
    const checked = checkCall(name, input);
    if (!checked.ok) return checked;
    const started = performance.now();
    try {
      const handler = handlers[checked.name] as (i: unknown) => unknown;
      const value = await handler(checked.input);
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
    admin,
    log,
    call,
    handlers,
    close: () => {
      db.close();
      if (!opts.logger) log.close?.();
    },
  };
}
