/** Shifts: open, close with the summary, the open one, past ones. */
import type { shiftsCalls } from '../../../preload/api/shifts';
import type { CountInput } from '../shifts/shifts';
import type { Deps, HandlerMap, Trusted } from './types';

/** The core's clock, or the trusted caller's (CLI, tests). */
export const clockOf = ({ now }: Trusted): number => (now !== undefined ? now * 1000 : Date.now());

const countDetail = (prefix: string, c: CountInput) => ({ [`${prefix}Vouchers`]: c?.vouchers ?? null, [`${prefix}Cash`]: c?.cash ?? null });

export function shiftsHandlers({ admin, audit, shifts, ctx, log }: Deps): HandlerMap<keyof typeof shiftsCalls> {
  return {
    'shift.current': () => shifts.current(ctx.device()),
    'shift.open': ({ adminToken, count }, trusted) => {
      // Whoever works the counter opens their shift (at a hand over, the next person).
      const actor = admin.require(adminToken, 'cashier');
      const at = clockOf(trusted);
      const shift = shifts.open({ device: ctx.device(), branch: ctx.branch(), at, by: actor.name, count });
      audit.record('shift', actor, { op: 'open', shift: shift.id, ...countDetail('opening', count) }, null, at);
      log.info('shift opened', { shift: shift.id });
      return shift;
    },
    'shift.close': ({ adminToken, count }, trusted) => {
      const actor = admin.require(adminToken, 'manager');
      const at = clockOf(trusted);
      const summary = shifts.close({ device: ctx.device(), at, by: actor.name, count });
      const { totals } = summary;
      audit.record(
        'shift',
        actor,
        { op: 'close', shift: summary.shift.id, redemptions: totals.redemptions, undos: totals.undos, refusals: totals.refusals, ...countDetail('closing', count) },
        null,
        at,
      );
      log.info('shift closed', { shift: summary.shift.id });
      return summary;
    },
    'shift.list': ({ limit, before }) => shifts.list(ctx.device(), limit, before),
    'shift.summary': ({ id }, trusted) => {
      const target = id ?? shifts.current(ctx.device())?.id;
      if (!target) return shifts.noneOpen();
      return shifts.summary(target, clockOf(trusted));
    },
  };
}
