/**
 * A call above the role of whoever is signed in: the core refuses it
 * (`staff.roleRequired`, naming the role, or `admin.required`), someone with
 * the role approves on the spot (a manager's PIN or badge, or the owner's
 * passphrase) and the call runs again with their token. Pure: the asking is
 * the caller's (AdminGate.tsx), so tests drive it.
 */
import { ApiError, ROLES, type Role } from '../../../preload/contract';

/** Approvals asked for one call at most (a manager approves, the call turns out to need the owner, the owner approves). */
const MAX_ASKS = 3;

export interface ApprovalSteps<T> {
  /** A token already held (the owner's, from the passphrase), or undefined: the signed-in person acts. */
  held: string | undefined;
  /** Asks for an approval of at least `need`, showing why (`refusal`, or none); null when cancelled. */
  ask(need: Role, refusal: ApiError | null): Promise<string | null>;
  /** The role of whoever is signed in, or null. */
  current: Role | null;
  /** A held token turned out expired. */
  forget(): void;
  call(token: string | undefined): Promise<T>;
}

/**
 * A call made without a token that the contract will not take without one
 * (`api.badInput` naming only `adminToken`): the core wants a token, like `admin.required`.
 */
function wantsToken(e: ApiError): boolean {
  return e.code === 'admin.required' || (e.code === 'api.badInput' && e.params?.fields === 'adminToken');
}

/** The role a refusal asks for, or null when it is no refusal for want of a role. */
export function neededRole(e: unknown, previous: Role | null): Role | null {
  if (!(e instanceof ApiError)) return null;
  if (e.code === 'staff.roleRequired') {
    const role = e.params?.role;
    return (ROLES as readonly unknown[]).includes(role) ? (role as Role) : 'owner';
  }
  // No token (or an expired one): a manager, unless a manager's approval was just refused that way.
  if (wantsToken(e)) return previous ?? 'manager';
  return null;
}

/**
 * What the approval shows as the reason: the core's refusal naming the role;
 * for a call that only wanted a token, the same words when the person signed
 * in is below the role (a cashier), else nothing (a manager confirms with their own PIN).
 */
export function refusalFor(e: ApiError, need: Role, current: Role | null): ApiError | null {
  if (e.code === 'staff.roleRequired') return e;
  if (current && roleAtLeast(current, need)) return null;
  return new ApiError('staff.roleRequired', `This needs a ${need}.`, { role: need });
}

/** Resolves to the call's answer, or undefined when the approval was cancelled; other errors are thrown. */
export async function runApproved<T>(steps: ApprovalSteps<T>): Promise<T | undefined> {
  let token = steps.held;
  let need: Role | null = null;
  for (let asked = 0; ; asked++) {
    try {
      return await steps.call(token);
    } catch (e) {
      const role = neededRole(e, need);
      if (!role || asked >= MAX_ASKS) throw e;
      if (token !== undefined && token === steps.held) steps.forget();
      need = role;
      const next = await steps.ask(role, refusalFor(e as ApiError, role, steps.current));
      if (next === null) return undefined;
      token = next;
    }
  }
}

/** Whether `have` may do what needs `need` (cashier < manager < owner). */
export function roleAtLeast(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}
