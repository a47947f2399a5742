import { ROLES, type Role } from '../../../preload/contract';

export type { Role };

/** Whoever a call is made by: a staff member (by id) or the owner's passphrase. */
export interface Actor {
  /** The name recorded on events and in the audit log. */
  name: string;
  role: Role;
  /** The staff account, or null for the owner's passphrase. */
  staffId: string | null;
}

/** The owner, proven by the admin passphrase (no staff account). */
export const OWNER: Actor = { name: 'owner', role: 'owner', staffId: null };

/** Whether `have` may do what needs `need` (cashier < manager < owner). */
export function atLeast(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}
