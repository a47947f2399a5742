/** Pure helpers for the counter: is this scanned text a member card? (hints only; the core verifies). */
import { MEMBER_CARD_HEADER } from '../../../preload/api/crm';
import type { VerifyResult } from '../../../preload/api/vouchers';

/** A GBV1 card says so in its outer (JWE) header, read without a round trip. */
export function isMemberCardText(text: string): boolean {
  const t = text.trim();
  const jwe = t.startsWith('GBV1:') ? t.slice(5) : t;
  const head = jwe.slice(0, jwe.indexOf('.'));
  if (!head || head.length > 2000) return false;
  try {
    const b64 = head.replace(/-/g, '+').replace(/_/g, '/');
    const json = JSON.parse(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4))) as Record<string, unknown>;
    return json[MEMBER_CARD_HEADER] === 'card';
  } catch {
    return false;
  }
}

/**
 * A GBV2 card has no outer header: the voucher path opens it (once) and
 * refuses it, EXPIRED, as every card is made (main/core/crm/tokens.ts). This
 * refusal, from the shop's own issuer with a card's jti, is the cue to hand
 * the text to the CRM instead of showing the refusal.
 */
export function isMemberCardRefusal(result: Pick<VerifyResult, 'verdict' | 'voucher'>): boolean {
  const v = result.voucher;
  return result.verdict === 'EXPIRED' && !!v && v.iss.startsWith('merchant:') && v.jti.startsWith('card-') && v.exp === 1;
}
