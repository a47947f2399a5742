import type { KioskState } from '../../preload/contract';
import type { AuditLog } from './audit/audit';
import type { Settings } from './settings';
import type { Actor } from './staff/roles';

/**
 * Kiosk mode: the owner's setting that the counter runs full screen with no way
 * out. A manager may let the counter out (to close the app, to use the PC);
 * that lasts until someone locks it again or the app starts again, so the
 * setting itself stays the owner's. Every change is in the audit log.
 */
export class Kiosk {
  /** Let out since this start by someone with the manager role (kept in memory: a restart locks again). */
  private left = false;

  constructor(
    private readonly settings: Settings,
    private readonly audit: AuditLog,
    private readonly changed: (state: KioskState) => void,
  ) {}

  state(): KioskState {
    const enabled = this.settings.get('kiosk') === '1';
    return { enabled, locked: enabled && !this.left };
  }

  /** The owner turns it on (locked at once) or off. */
  set(on: boolean, by: Actor): KioskState {
    this.settings.set('kiosk', on ? '1' : '0');
    this.left = false;
    this.audit.record('kiosk', by, { change: on ? 'on' : 'off' });
    return this.announce();
  }

  /** Lets the counter out until `resume` or the next start; nothing when it is not locked. */
  leave(by: Actor): KioskState {
    if (!this.state().locked) return this.state();
    this.left = true;
    this.audit.record('kiosk', by, { change: 'leave' });
    return this.announce();
  }

  /** Locks the counter again after a leave (anyone may: it only takes a way out away). */
  resume(): KioskState {
    if (!this.left) return this.state();
    this.left = false;
    return this.announce();
  }

  private announce(): KioskState {
    const s = this.state();
    this.changed(s);
    return s;
  }
}
