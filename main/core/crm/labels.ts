import { maskId } from '../../../common/people/mask';
import type { PeopleOnVerdict, RedeemResult } from '../../../preload/api/vouchers';
import type { People } from './crm';

/**
 * People as the counter shows them: by name when the CRM knows them (a member,
 * a contact, or a holder id linked to one), otherwise by a short masked form
 * of the id. A raw id never reaches a counter screen.
 */

/** A person's (or holder's, or voucher customer's) label: the CRM's name, else the masked id. */
export function personLabel(people: People, id: string): string {
  const p = people.byHolder(id);
  return p && !p.erased_at && p.name ? p.name : maskId(id);
}

/** What the labels of one scan need from the CRM. */
export interface ScanPeople {
  people: People;
  /** The member the recorded redemption went on, once the CRM has followed it. */
  memberOfEvent(eventId: string): string | null;
  /** The member selected at the counter, if any. */
  counterMemberId(): string | null;
}

/** The people on a scan's answer: its customer, the member it goes on (when another person), its points holders. */
export function peopleOnVerdict(s: ScanPeople, r: RedeemResult): PeopleOnVerdict | null {
  const out: PeopleOnVerdict = {};
  const sub = r.voucher?.sub ?? null;
  if (sub) out.customer = personLabel(s.people, sub);
  const memberId = r.event ? s.memberOfEvent(r.event.id) : r.verdict === 'VALID' ? s.counterMemberId() : null;
  const member = memberId ? s.people.resolve(memberId) : null;
  const customer = sub ? s.people.byHolder(sub) : null;
  if (member && !member.erased_at && member.id !== customer?.id) out.member = personLabel(s.people, member.id);
  if (r.points?.length) out.holders = Object.fromEntries(r.points.map((p) => [p.holder, personLabel(s.people, p.holder)]));
  return Object.keys(out).length ? out : null;
}
