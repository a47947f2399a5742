/** The receipt printer: its settings (owner), a test page, slips of a redemption, a shift and a day, and a reprint (manager). */
import type { printerCalls } from '../../../preload/api/printer';
import type { ReceiptPrinter } from '../receipts/printer';
import type { Deps, HandlerMap } from './types';

export function printerHandlers({ admin, audit, log }: Deps, printer: ReceiptPrinter): HandlerMap<keyof typeof printerCalls> {
  return {
    'printer.status': () => printer.status(),
    'printer.configure': ({ adminToken, ...patch }) => {
      const actor = admin.require(adminToken, 'owner');
      const status = printer.configure(patch);
      audit.record('settings', actor, { area: 'printer', fields: Object.keys(patch).join(',') });
      log.info('printer configured', { kind: status.config.kind, paper: status.config.paper, policy: status.config.afterRedemption });
      return status;
    },
    'printer.test': () => printer.test(),
    'printer.printRedemption': ({ eventId }) => printer.printRedemption(eventId),
    'printer.printLast': ({ adminToken }) => {
      const actor = admin.require(adminToken, 'manager');
      log.info('slip reprinted', { by: actor.role });
      return printer.printLast();
    },
    'printer.printShift': ({ adminToken, summary }) => {
      admin.require(adminToken, 'manager');
      return printer.printShift(summary);
    },
    'printer.printDay': ({ adminToken, summary }) => {
      admin.require(adminToken, 'manager');
      return printer.printDay(summary);
    },
  };
}
