/** Staff at the counter: accounts and roles, signing in, a manager's approval, the audit log. */
import { z } from 'zod';
import { adminToken, role, type Role } from './common';

/** A staff PIN: 4 to 8 digits (hashed with a slow KDF; never stored or logged in the clear). */
export const pin = z.string().regex(/^\d{4,8}$/);
const staffId = z.string().min(1).max(64);
const staffName = z.string().trim().min(1).max(64);

export interface StaffMember {
  id: string;
  name: string;
  role: Role;
  active: boolean;
  /** Whether a badge (a printed staff card) is issued and not withdrawn. */
  hasBadge: boolean;
  createdAt: number;
}

/** Whoever is signed in at the counter, or null. */
export interface SignedIn {
  id: string | null;
  name: string;
  role: Role;
  since: number;
  /** When the idle sign-out will happen if nothing is done (ms since the epoch), or null when it is off. */
  idleSignOutAt: number | null;
}

export interface StaffState {
  /** Whether any staff account exists: without one the counter works as before (one owner, no sign-in). */
  enabled: boolean;
  current: SignedIn | null;
  idleMinutes: number;
}

/** How to prove who you are: a PIN (with the name picked from the list) or a scanned staff badge. */
const proof = z.union([z.object({ staffId, pin }).strict(), z.object({ badge: z.string().min(1).max(4000) }).strict()]);

export interface AuditEntryView {
  seq: number;
  at: number;
  action: string;
  actor: string;
  role: Role;
  approver: string | null;
  detail: Record<string, string | number | boolean | null>;
}

export const staffCalls = {
  'staff.state': { input: z.object({}).strict() },
  'staff.list': { input: z.object({}).strict() },
  'staff.add': { input: z.object({ adminToken: adminToken.optional(), name: staffName, role, pin }).strict() },
  'staff.update': {
    input: z
      .object({ adminToken: adminToken.optional(), id: staffId, name: staffName.optional(), role: role.optional(), pin: pin.optional(), active: z.boolean().optional() })
      .strict(),
  },
  /** Issues a new badge (withdrawing any earlier one) and answers the text of its code, to print. */
  'staff.badge': { input: z.object({ adminToken: adminToken.optional(), id: staffId }).strict() },
  'staff.signIn': { input: proof },
  'staff.signOut': { input: z.object({}).strict() },
  /** A person above the signed-in one approves one action: answers a short-lived token carrying them (a manager's override). */
  'staff.approve': { input: z.intersection(proof, z.object({ need: role })) },
  'staff.setIdle': { input: z.object({ adminToken: adminToken.optional(), minutes: z.number().int().min(0).max(480) }).strict() },
  'audit.list': {
    input: z
      .object({
        adminToken: adminToken.optional(),
        limit: z.number().int().min(1).max(1000).default(200),
        beforeSeq: z.number().int().positive().optional(),
        from: z.number().int().min(0).optional(),
        to: z.number().int().min(0).optional(),
      })
      .strict(),
  },
  /** The audit log as CSV text (recorded in the audit log itself). */
  'audit.export': { input: z.object({ adminToken: adminToken.optional(), from: z.number().int().min(0).optional(), to: z.number().int().min(0).optional() }).strict() },
} as const;

export interface StaffResults {
  'staff.state': StaffState;
  'staff.list': StaffMember[];
  'staff.add': StaffMember;
  'staff.update': StaffMember;
  'staff.badge': { text: string };
  'staff.signIn': StaffState;
  'staff.signOut': StaffState;
  'staff.approve': { token: string; expiresAt: number; name: string; role: Role };
  'staff.setIdle': StaffState;
  'audit.list': AuditEntryView[];
  'audit.export': { fileName: string; content: string };
}
