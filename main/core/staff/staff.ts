import type { CallName, EventName, EventPayloads, Role, StaffState } from '../../../preload/contract';
import type { AdminSessions } from '../admin';
import type { AuditLog } from '../audit/audit';
import type { MerchantTokens } from '../crm/tokens';
import type { Db } from '../db/open';
import { UserError } from '../errors';
import type { Settings } from '../settings';
import { StaffAccounts } from './accounts';
import { CounterSession } from './counter';
import type { PinKdf } from './pin';
import { atLeast, type Actor } from './roles';

/** The calls made at the counter that need someone signed in once there are staff accounts. */
export const COUNTER_CALLS: ReadonlySet<CallName> = new Set<CallName>([
  'voucher.verify',
  'voucher.redeem',
  'crm.lookupPhone',
  'crm.search',
  'crm.memberGet',
  'crm.counterScan',
  'crm.counterSelect',
]);

/** Reads the screens make on their own (a timer, an event, a window opening): not someone using the counter. */
const PASSIVE_CALLS: ReadonlySet<CallName> = new Set<CallName>(['staff.state', 'app.info', 'settings.get', 'keystore.view', 'sync.status', 'scanners.status', 'crm.counterGet']);

/** How a person proves who they are: a PIN with their account picked from the list, or a scanned badge. */
export type Proof = { staffId: string; pin: string } | { badge: string };

/**
 * Staff at the counter: the accounts, who is signed in, and the rules that tie
 * them to the calls (a counter call needs someone signed in once there are
 * accounts; tokens and overrides in admin.ts). Without any account everything
 * works as before: no sign-in, the `cashier` setting on events.
 */
export class Staff {
  readonly accounts: StaffAccounts;
  readonly counter: CounterSession;

  constructor(
    db: Db,
    settings: Settings,
    tokens: MerchantTokens,
    private readonly audit: AuditLog,
    private readonly admin: AdminSessions,
    private readonly emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => void,
    private readonly clock: () => number = Date.now,
    kdf?: PinKdf,
  ) {
    this.accounts = new StaffAccounts(db, settings, tokens, clock, kdf);
    this.counter = new CounterSession(
      settings,
      audit,
      (signedOut) => {
        // A person leaving takes every approval and admin token given while they were here with them.
        if (signedOut) admin.clear();
        emit('staff.changed', this.state());
      },
      () => this.accounts.enabled(),
      clock,
    );
    admin.attach({
      signedIn: () => (this.accounts.enabled() ? this.counter.signedIn() : null),
      overridden: (person, approver, need) => this.audit.record('override', person, { need }, approver, this.clock()),
    });
  }

  state(): StaffState {
    return this.counter.state();
  }

  /** Before every call: it counts as activity at the counter, and a counter call needs someone signed in. */
  before(name: CallName): void {
    if (!PASSIVE_CALLS.has(name)) this.counter.activity();
    if (COUNTER_CALLS.has(name) && this.accounts.enabled() && !this.counter.signedIn()) {
      throw new UserError('staff.signInRequired', 'Sign in first: scan your badge or enter your PIN.');
    }
  }

  /** The name stamped on events as the cashier: the signed-in person's once there are accounts, else the `cashier` setting. */
  cashier(setting: () => string | null): string | null {
    if (!this.accounts.enabled()) return setting();
    return this.counter.signedIn()?.name ?? null;
  }

  /** The name recorded for what `actor` did (a reversal's `by`): theirs once there are accounts, else as before. */
  nameFor(actor: Actor, before: () => string): string {
    return this.accounts.enabled() ? actor.name : before();
  }

  private async prove(proof: Proof): Promise<{ actor: Actor; how: 'pin' | 'badge' }> {
    if ('badge' in proof) return { actor: await this.accounts.readBadge(proof.badge), how: 'badge' };
    return { actor: await this.accounts.checkPin(proof.staffId, proof.pin), how: 'pin' };
  }

  async signIn(proof: Proof): Promise<StaffState> {
    const { actor, how } = await this.prove(proof);
    this.counter.signIn(actor, how);
    return this.state();
  }

  signOut(): StaffState {
    this.counter.signOut('asked');
    return this.state();
  }

  /** A person of at least `need` approves one action: a short-lived token carrying them (recorded in the audit log). */
  async approve(proof: Proof, need: Role): Promise<{ token: string; expiresAt: number; name: string; role: Role }> {
    const { actor, how } = await this.prove(proof);
    if (!atLeast(actor.role, need)) throw new UserError('staff.roleRequired', `This needs a ${need}.`, { role: need });
    const t = this.admin.issue(actor);
    const at = this.clock();
    const person = this.counter.signedIn();
    this.audit.record('override', person ?? actor, { step: 'approve', need, how }, person ? actor : null, at);
    return { ...t, name: actor.name, role: actor.role };
  }

  /** After an account changed: the signed-in person follows it, and the screens hear of it. */
  changed(id: string): void {
    const m = this.accounts.get(id);
    this.counter.accountChanged({ name: m.name, role: m.role, staffId: m.id }, m.active);
    this.emit('staff.changed', this.state());
  }

  stop(): void {
    this.counter.stop();
  }
}
