/** The merchant's time zone: the `timeZone` setting (an IANA name the owner sets), else the OS's. */
import { isTimeZoneName as isTimeZone } from '../../../preload/contract';
import type { Settings } from '../settings';

export { dayOf, dayWindow, offsetAt, wallTime } from '../../../common/time/day';

/** The zone the OS is set to (what a new workstation uses until the owner sets one). */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The workstation's time zone: the `timeZone` setting, else the OS's. */
export function merchantTimeZone(settings: Settings): string {
  const set = settings.get('timeZone');
  return set && isTimeZone(set) ? set : systemTimeZone();
}
