/**
 * The bounds on an uploaded event's `at` (docs/spec/sync-protocol.md): a real
 * date, not far ahead of the server's clock, not before 2000, and for a
 * redemption inside the voucher's own validity (`nbf` to `exp`, the claims
 * the workstation itself checks) and not before the server minted it (no one
 * held it earlier). The conflict rule decides by the earliest `at`; these bounds keep a
 * backdated event from winning against another branch's honest redemption
 * with a time at which the voucher could not have been used.
 */
import type { VoucherTable } from './db';

/** How far ahead of the server's clock an event's `at` may be (a workstation's clock may run a little fast). */
export const FUTURE_TOLERANCE_MS = 10 * 60_000;
/** How far before the voucher's `nbf` or issue time a redemption's `at` may be (a workstation's clock may run a little slow). */
export const VALIDITY_TOLERANCE_MS = 10 * 60_000;
/** No event happened before this (a year 0000 is a broken clock or a forgery). */
export const EARLIEST_AT_MS = Date.parse('2000-01-01T00:00:00Z');

const iso = (ms: number) => new Date(ms).toISOString();

/** Why an event's `at` (already parsed to ms) is refused, or null. */
export function atOutOfBounds(at: string, atMs: number, receivedMs: number): string | null {
  if (atMs > receivedMs + FUTURE_TOLERANCE_MS) return `at ${at} is more than ${FUTURE_TOLERANCE_MS / 60_000} minutes ahead of the server's clock (${iso(receivedMs)})`;
  if (atMs < EARLIEST_AT_MS) return `at ${at} is before ${iso(EARLIEST_AT_MS)}`;
  return null;
}

/** Why a redemption's `at` is outside its voucher's validity, or null. */
export function atOutsideValidity(at: string, atMs: number, v: Pick<VoucherTable, 'exp' | 'nbf' | 'issued_at'>): string | null {
  if (v.exp !== null && atMs > v.exp * 1000) return `at ${at} is after the voucher expired (${iso(v.exp * 1000)})`;
  const minutes = VALIDITY_TOLERANCE_MS / 60_000;
  if (v.nbf !== null && atMs < v.nbf * 1000 - VALIDITY_TOLERANCE_MS) {
    return `at ${at} is before the voucher became valid (${iso(v.nbf * 1000)}) by more than ${minutes} minutes`;
  }
  // Null for vouchers minted before the server kept it: the other bounds only.
  if (v.issued_at !== null && atMs < v.issued_at * 1000 - VALIDITY_TOLERANCE_MS) {
    return `at ${at} is before the voucher was issued (${iso(v.issued_at * 1000)}) by more than ${minutes} minutes`;
  }
  return null;
}
