import { UserError } from '../errors';
import type { Settings } from '../settings';

/**
 * Wrong staff PINs, counted per account and across all accounts (someone
 * trying PINs against every name in the list). After FREE_TRIES wrong PINs in
 * a row on one account, or OVERALL_FREE_TRIES in a row on any, every try on it
 * (or on all) waits FIRST_WAIT seconds, doubling with each further wrong PIN up
 * to MAX_WAIT. While it waits the right PIN is refused too, before it is even
 * checked. The counts live in the database's settings, so a restart does not
 * reset them; a right PIN resets its account's count and the overall one.
 */
export const FREE_TRIES = 5;
export const OVERALL_FREE_TRIES = 15;
export const FIRST_WAIT_SECONDS = 30;
export const MAX_WAIT_SECONDS = 15 * 60;

const KEY = 'staff.lockout';
const ALL = '*';

interface Count {
  failures: number;
  until: number;
}

export function staffWaitSeconds(failures: number, free: number): number {
  if (failures < free) return 0;
  return Math.min(MAX_WAIT_SECONDS, FIRST_WAIT_SECONDS * 2 ** Math.min(failures - free, 20));
}

export class StaffLockout {
  constructor(
    private readonly settings: Settings,
    private readonly clock: () => number = Date.now,
  ) {}

  private counts(): Record<string, Count> {
    try {
      return this.settings.getJson<Record<string, Count>>(KEY) ?? {};
    } catch {
      return {}; // a damaged record never locks staff out
    }
  }

  /** Throws staff.lockedOut, with the seconds left, while tries on this account (or on all) are refused. */
  check(staffId: string): void {
    const all = this.counts();
    const now = this.clock();
    let left = 0;
    for (const [key, free] of [[staffId, FREE_TRIES], [ALL, OVERALL_FREE_TRIES]] as const) {
      const c = all[key];
      if (!c || c.until <= now) continue;
      // A clock set back must not lock anyone out for longer than the longest wait.
      left = Math.max(left, Math.min(Math.ceil((c.until - now) / 1000), staffWaitSeconds(c.failures, free) || MAX_WAIT_SECONDS));
    }
    if (left > 0) throw new UserError('staff.lockedOut', `Too many wrong PINs: try again in ${left} s.`, { seconds: left });
  }

  failed(staffId: string): void {
    const all = this.counts();
    const now = this.clock();
    for (const [key, free] of [[staffId, FREE_TRIES], [ALL, OVERALL_FREE_TRIES]] as const) {
      const failures = (all[key]?.failures ?? 0) + 1;
      const wait = staffWaitSeconds(failures, free);
      all[key] = { failures, until: wait ? now + wait * 1000 : 0 };
    }
    this.settings.setJson(KEY, all);
  }

  succeeded(staffId: string): void {
    const all = this.counts();
    if (!all[staffId] && !all[ALL]) return;
    delete all[staffId];
    delete all[ALL];
    this.settings.setJson(KEY, all);
  }
}
