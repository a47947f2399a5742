/**
 * A person's record as the crm_people table holds it, what a screen or an
 * import gives to make or change one, and the kinds of the CRM's own log.
 */

export interface PersonRow {
  rowid: number;
  id: string;
  name: string;
  name_key: string;
  phone: string | null;
  phone_norm: string | null;
  email: string | null;
  email_norm: string | null;
  handles: string;
  birthday: string | null;
  tags: string;
  notes: string;
  consent: number;
  consent_at: number | null;
  consent_how: string;
  member_since: number | null;
  merged_into: string | null;
  erased_at: number | null;
  visits: number;
  spend: number;
  last_visit: number | null;
  created_at: number;
  updated_at: number;
}

export interface PersonInput {
  name: string;
  phone?: string | null | undefined;
  email?: string | null | undefined;
  handles?: Record<string, string> | undefined;
  birthday?: string | null | undefined;
  tags?: string[] | undefined;
  notes?: string | undefined;
  consent?: { given: boolean; how: string; at?: number | null | undefined } | undefined;
  holders?: string[] | undefined;
}

export type CrmEventType =
  | 'member.added'
  | 'member.updated'
  | 'member.merged'
  | 'member.erased'
  | 'link.added'
  | 'link.removed'
  | 'redemption.attached'
  | 'welcome.issued'
  | 'welcome.redeemed'
  | 'reward.issued'
  | 'voucher.given'
  | 'crm.restored';
