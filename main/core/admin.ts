import { randomBytes } from 'node:crypto';
import { UserError } from './errors';
import { atLeast, OWNER, type Actor, type Role } from './staff/roles';

/** The person signed in at the counter, as the tokens see them (staff/counter.ts, wired in services.ts). */
export interface SignedInPerson {
  signedIn(): Actor | null;
  /** A call above the signed-in person's role, approved with `approver`'s token (recorded in the audit log). */
  overridden(person: Actor, approver: Actor, need: Role): void;
}

/**
 * Who may make a call above the counter's everyday role. The person signed in
 * at the counter may, when their role is enough; otherwise a short-lived token
 * is needed, given for the owner's passphrase (`admin.login`) or a staff
 * member's PIN or badge (`staff.approve`), and carrying that person. `require`
 * answers who acts: the signed-in person, or the token's person, the call then
 * being an override of the signed-in one's role, recorded with both names.
 */
export class AdminSessions {
  private readonly tokens = new Map<string, { expiresAt: number; actor: Actor }>();
  private counter: SignedInPerson | null = null;

  constructor(
    private readonly ttlMs = 5 * 60 * 1000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Lets the person signed in at the counter act within their role. */
  attach(counter: SignedInPerson): void {
    this.counter = counter;
  }

  issue(actor: Actor = OWNER): { token: string; expiresAt: number } {
    const token = randomBytes(24).toString('base64url');
    const expiresAt = this.clock() + this.ttlMs;
    this.tokens.set(token, { expiresAt, actor });
    return { token, expiresAt };
  }

  /** Who acts: the signed-in person if their role is at least `need`, else the person behind a good token of that role. */
  require(token: string | undefined, need: Role = 'owner'): Actor {
    const person = this.counter?.signedIn() ?? null;
    if (person && atLeast(person.role, need)) return person;
    const held = token ? this.tokens.get(token) : undefined;
    if (!held || held.expiresAt <= this.clock()) {
      if (token) this.tokens.delete(token);
      // Someone is signed in whose role is not enough: the screens ask a manager (or the owner) to approve.
      if (person) throw new UserError('staff.roleRequired', `This needs a ${need}.`, { role: need });
      throw new UserError('admin.required', 'This needs the admin passphrase.');
    }
    if (!atLeast(held.actor.role, need)) {
      throw new UserError('staff.roleRequired', `This needs a ${need}.`, { role: need });
    }
    if (person && person.staffId !== held.actor.staffId) this.counter!.overridden(person, held.actor, need);
    return held.actor;
  }

  /** Forgets every token (a sign-out at the counter, the app locking). */
  clear(): void {
    this.tokens.clear();
  }
}
