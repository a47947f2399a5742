/** Input pieces shared by the features' call schemas. */
import { z } from 'zod';

/** The longest text a call takes (a file's content, a scan). */
export const TEXT_MAX = 100_000;
export const text = z.string().max(TEXT_MAX);
export const passphrase = z.string().min(1).max(1024);
/**
 * A token from `admin.login` (the owner's passphrase) or from a staff member's
 * PIN or badge: it carries that person and their role for a call above the role
 * of whoever is signed in at the counter (a manager's override).
 */
export const adminToken = z.string().min(1).max(200);
/** Who may do what, lowest first: a cashier redeems and looks up members; a manager also undoes, settles and closes the shift; the owner does everything. */
export const ROLES = ['cashier', 'manager', 'owner'] as const;
export const role = z.enum(ROLES);
export type Role = (typeof ROLES)[number];
export const unixSeconds = z.number().int().min(0).max(32503680000);
