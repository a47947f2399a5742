import { randomBytes } from 'node:crypto';
import { UserError } from './errors';
import { atLeast, OWNER, type Actor, type Role } from './staff/roles';

/**
 * Short-lived tokens for calls above the counter's everyday role. A token is
 * given for the owner's passphrase (`admin.login`) or a staff member's PIN or
 * badge, and carries that person: `require` answers who it is, so a call can
 * record them (a manager's override is recorded with both names).
 */
export class AdminSessions {
  private readonly tokens = new Map<string, { expiresAt: number; actor: Actor }>();

  constructor(
    private readonly ttlMs = 5 * 60 * 1000,
    private readonly clock: () => number = Date.now,
  ) {}

  issue(actor: Actor = OWNER): { token: string; expiresAt: number } {
    const token = randomBytes(24).toString('base64url');
    const expiresAt = this.clock() + this.ttlMs;
    this.tokens.set(token, { expiresAt, actor });
    return { token, expiresAt };
  }

  /** The person behind a token, if it is still good and their role is at least `need`. */
  require(token: string | undefined, need: Role = 'owner'): Actor {
    const held = token ? this.tokens.get(token) : undefined;
    if (!held || held.expiresAt <= this.clock()) {
      if (token) this.tokens.delete(token);
      throw new UserError('admin.required', 'This needs the admin passphrase.');
    }
    if (!atLeast(held.actor.role, need)) {
      throw new UserError('staff.roleRequired', `This needs a ${need}.`, { role: need });
    }
    return held.actor;
  }

  /** Forgets every token (a sign-out at the counter, the app locking). */
  clear(): void {
    this.tokens.clear();
  }
}
