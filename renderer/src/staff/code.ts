/**
 * What was typed or scanned into a "PIN or badge" field: digits are a PIN
 * (for the name picked in the list), anything else is a scanned staff badge.
 * Pure, so the sign-in panel and the approval dialog decide alike.
 */
import type { CallInput } from '../../../preload/contract';

export type Proof = CallInput<'staff.signIn'>;

const PIN = /^\d{4,8}$/;

export type CodeReading = { proof: Proof } | { problem: 'empty' | 'pickName' | 'pinShape' };

export function readCode(raw: string, staffId: string | null): CodeReading {
  const text = raw.trim();
  if (!text) return { problem: 'empty' };
  if (/^\d+$/.test(text)) {
    if (!PIN.test(text)) return { problem: 'pinShape' };
    if (!staffId) return { problem: 'pickName' };
    return { proof: { staffId, pin: text } };
  }
  return { proof: { badge: text } };
}

export function isPin(text: string): boolean {
  return PIN.test(text);
}
