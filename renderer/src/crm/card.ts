/** Pure helpers for the counter: is this scanned text a member card? (header hint only; the core verifies). */
import { MEMBER_CARD_HEADER } from '../../../preload/api/crm';

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
