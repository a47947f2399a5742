import type { StaffState } from '../../../preload/contract';
import type { AuditLog } from '../audit/audit';
import type { Settings } from '../settings';
import type { Actor } from './roles';

export const IDLE_SETTING = 'staff.idleMinutes';
export const DEFAULT_IDLE_MINUTES = 10;

/**
 * Who is signed in at the counter, in memory only: after a restart nobody is.
 * Every call made at the counter counts as activity (services.ts); after
 * `idleMinutes` without one (0: never) the person is signed out. The sign-out
 * happens on a timer so the screens hear of it, and is checked again on every
 * read, so a late or stopped timer never leaves someone signed in.
 */
export class CounterSession {
  private current: { actor: Actor; since: number } | null = null;
  private lastActivity = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly settings: Settings,
    private readonly audit: AuditLog,
    /** Told after every change (the `staff.changed` event and the tokens' end). */
    private readonly changed: (signedOut: boolean) => void,
    private readonly enabled: () => boolean,
    private readonly clock: () => number = Date.now,
  ) {}

  idleMinutes(): number {
    return this.settings.getNumber(IDLE_SETTING, DEFAULT_IDLE_MINUTES);
  }

  setIdleMinutes(minutes: number): void {
    this.settings.set(IDLE_SETTING, String(minutes));
    this.schedule();
    this.changed(false);
  }

  /** The person signed in, or null (signing out first whoever has been idle too long). */
  signedIn(): Actor | null {
    this.expireIfIdle();
    return this.current?.actor ?? null;
  }

  state(): StaffState {
    const who = this.signedIn();
    const idle = this.idleMinutes();
    return {
      enabled: this.enabled(),
      idleMinutes: idle,
      current: who && this.current
        ? { id: who.staffId, name: who.name, role: who.role, since: this.current.since, idleSignOutAt: idle > 0 ? this.lastActivity + idle * 60_000 : null }
        : null,
    };
  }

  signIn(actor: Actor, how: 'pin' | 'badge'): void {
    const now = this.clock();
    const before = this.signedIn();
    if (before) this.audit.record('signOut', before, { reason: 'switch' }, null, now);
    this.current = { actor, since: now };
    this.lastActivity = now;
    this.audit.record('signIn', actor, { how }, null, now);
    this.schedule();
    this.changed(before !== null);
  }

  signOut(reason: 'asked' | 'idle' | 'account' = 'asked', at = this.clock()): void {
    const who = this.current?.actor;
    if (!who) return;
    this.current = null;
    this.audit.record('signOut', who, { reason }, null, at);
    this.schedule();
    this.changed(true);
  }

  /** A call made at the counter. */
  activity(): void {
    this.expireIfIdle();
    this.lastActivity = this.clock();
    if (this.current) this.schedule();
  }

  /** The signed-in person's account changed: their new name or role, or a sign-out when it was turned off. */
  accountChanged(next: Actor, active: boolean): void {
    if (!this.current || this.current.actor.staffId !== next.staffId) return;
    if (!active) return this.signOut('account');
    this.current = { ...this.current, actor: next };
    this.changed(false);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private expireIfIdle(): void {
    const idle = this.idleMinutes();
    if (!this.current || idle <= 0) return;
    const at = this.lastActivity + idle * 60_000;
    if (this.clock() >= at) this.signOut('idle', at);
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const idle = this.idleMinutes();
    if (this.stopped || !this.current || idle <= 0) return;
    const wait = Math.max(0, this.lastActivity + idle * 60_000 - this.clock());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.expireIfIdle();
      if (this.current) this.schedule();
    }, wait + 50);
    this.timer.unref();
  }
}
