/** The receipt printer: its settings (owner), a test page, slips of a redemption, a shift and a day, and a reprint (manager). */
import type { printerCalls } from '../../../preload/api/printer';
import { dayOf, dayWindow } from '../../../common/time/day';
import type { ReceiptPrinter } from '../receipts/printer';
import { daySlipOf, shiftSlipOf } from '../receipts/summaries';
import { summarize } from '../reports/summary';
import { merchantTimeZone } from '../reports/timezone';
import { clockOf } from './shifts';
import type { Deps, HandlerMap } from './types';

export function printerHandlers({ admin, audit, log, db, settings, shifts, ctx }: Deps, printer: ReceiptPrinter): HandlerMap<keyof typeof printerCalls> {
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
    'printer.printShift': ({ adminToken, shiftId }, trusted) => {
      admin.require(adminToken, 'manager');
      const id = shiftId ?? shifts.current(ctx.device())?.id;
      if (!id) return shifts.noneOpen();
      return printer.printShift(shiftSlipOf(shifts.summary(id, clockOf(trusted))));
    },
    'printer.printDay': ({ adminToken, day }, trusted) => {
      admin.require(adminToken, 'manager');
      const timeZone = merchantTimeZone(settings);
      const which = day ?? dayOf(clockOf(trusted), timeZone);
      return printer.printDay(daySlipOf(which, summarize(db, dayWindow(which, timeZone), timeZone)));
    },
  };
}
