/** Sync with the platform: status, sync now, conflicts, rejected events, batch file, close of day. */
import type { syncCalls } from '../../../preload/api/sync';
import { isErrorCode } from '../../../preload/contract';
import { UserError } from '../errors';
import { exportBatch, loadReceipt } from '../sync/batch';
import { SyncError } from '../sync/http';
import { closeDay, closedDays } from '../sync/closeday';
import { dayOf, merchantTimeZone } from '../reports/timezone';
import type { Deps, HandlerMap } from './types';

/** A sync failure as a call error the screens translate (sync.err.*). */
export function syncUserError(e: unknown): never {
  if (e instanceof SyncError) {
    const words: Record<string, string> = {
      notConfigured: 'This workstation has no server in its bundle.',
      locked: 'The key store is locked: enter the admin passphrase to sync.',
      unreachable: 'The server could not be reached.',
      tokenRefused: 'The server refused this workstation\u2019s token.',
      wrongMerchant: 'The server says this device belongs to another merchant.',
      busy: 'The server is busy; VoucherDesk will try again.',
      badResponse: 'The server sent an answer VoucherDesk cannot read.',
    };
    const code = `sync.err.${e.code}`;
    throw new UserError(isErrorCode(code) ? code : 'sync.err.internal', words[e.code] ?? `Sync failed (${e.code}).`, e.params);
  }
  throw e;
}

export function syncHandlers({ sync, db, keystore, ctx, admin, log, settings, staff, catalog }: Deps): HandlerMap<keyof typeof syncCalls> {
  return {
    'sync.status': () => sync.status(),
    'sync.now': async () => {
      try {
        await sync.syncNow();
      } catch (e) {
        syncUserError(e);
      }
      return sync.status();
    },
    'sync.conflicts': ({ includeSettled }) => sync.conflicts(includeSettled ?? false),
    'sync.settle': ({ adminToken, eventId, note }) => {
      const actor = admin.require(adminToken, 'manager');
      const v = sync.settle(eventId, note, staff.nameFor(actor, () => ctx.cashier() ?? 'owner'));
      log.info('conflict settled', { event: eventId });
      return v;
    },
    'sync.rejected': () => sync.rejected(),
    'sync.export': async () => {
      const r = await exportBatch(db, keystore, ctx.device());
      log.info('events exported', { count: r.count, signed: r.signed });
      return r;
    },
    'sync.loadReceipt': ({ content }) => {
      const r = loadReceipt(db, sync, content);
      log.info('receipt loaded', r);
      return r;
    },
    'sync.closeDay': ({ day }) => {
      const timeZone = merchantTimeZone(settings);
      return closeDay({ db, client: sync, keystore, ctx, timeZone, stock: catalog.stock, campaigns: () => catalog.campaigns() }, day ?? dayOf(Date.now(), timeZone));
    },
    'sync.closedDays': () => closedDays(db),
    'sync.setOptions': ({ adminToken, downloadEverySeconds, onlineTimeoutMs }) => {
      admin.require(adminToken, 'owner');
      if (downloadEverySeconds !== undefined) settings.set('sync.downloadEveryMs', String(downloadEverySeconds * 1000));
      if (onlineTimeoutMs !== undefined) settings.set('sync.onlineTimeoutMs', String(onlineTimeoutMs));
      return sync.status();
    },
  };
}
