/** Member CRM: members, their circle, referral vouchers, rewards, the referral network. */
import { z } from 'zod';
import { adminToken } from './common';
import type { ErrorCode } from './errors';
import type { HistoryEntry } from './vouchers';

export const LINK_KINDS = ['friend', 'family', 'colleague', 'referred_by', 'shared'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export interface Consent {
  given: boolean;
  /** ms since the epoch, when it was given (or withdrawn). */
  at: number | null;
  /** How: 'in person', 'form', 'wechat' … */
  how: string;
}

/** A person the shop knows: a member, or a contact in a member's circle (memberSince null). */
export interface MemberView {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  handles: Record<string, string>;
  birthday: string | null;
  tags: string[];
  notes: string;
  consent: Consent;
  memberSince: number | null;
  /** Voucher holder ids (`sub`/`ref` values) that are this person; their own id always is. */
  holders: string[];
  erased: boolean;
  /** Computed from the ledger. */
  visits: number;
  spend: number;
  lastVisit: number | null;
  points: number;
  level: number;
}

/** One row of the members table. */
export interface MemberRow {
  id: string;
  name: string;
  phone: string | null;
  tags: string[];
  level: number;
  points: number;
  visits: number;
  spend: number;
  lastVisit: number | null;
  memberSince: number | null;
}

export interface CircleEntry {
  linkId: string;
  kind: LinkKind;
  /** 'out': this person → other (e.g. referred_by: this person was referred by other); 'in': other → this person. */
  direction: 'out' | 'in';
  other: MemberRow;
  welcome: ReferralVoucherView | null;
}

export interface ReferralVoucherView {
  jti: string;
  purpose: 'welcome' | 'reward';
  personId: string;
  personName: string;
  referrerId: string | null;
  issuedAt: number;
  exp: number | null;
  givenAt: number | null;
  redeemedAt: number | null;
  /** Counted towards the referrer's reward (redeemed on the referee's first visit). */
  counted: boolean;
  terms: string;
}

export interface ReferralStatus {
  eligible: boolean;
  /** What is missing to become eligible, e.g. { spend: 12000 } or { visits: 2 }. */
  missing: { spend?: number; visits?: number };
  issued: number;
  maxWelcome: number;
  redeemed: number;
  counted: number;
  rewards: number;
  /** Counted redemptions still needed for the next reward. */
  toNextReward: number;
  vouchers: ReferralVoucherView[];
}

export interface MemberDetail {
  member: MemberView;
  circle: CircleEntry[];
  history: (HistoryEntry & { member: string | null })[];
  referral: ReferralStatus;
  mergedFrom: string[];
}

export const voucherTermsSchema = z
  .object({
    kind: z.enum(['item', 'value', 'gift']),
    sku: z.string().max(64).optional(),
    qty: z.number().int().min(1).max(10000).optional(),
    val: z.number().int().min(1).max(1_000_000_000).optional(),
    cur: z.string().regex(/^[A-Z]{3}$/).optional(),
    validDays: z.number().int().min(1).max(3650),
    label: z.string().max(100).default(''),
  })
  .strict()
  .refine((t) => t.kind !== 'value' || (t.val !== undefined && t.cur !== undefined), { message: 'a value voucher needs val and cur', path: ['val'] });
export type VoucherTerms = z.output<typeof voucherTermsSchema>;

export const referralRulesSchema = z
  .object({
    enabled: z.boolean(),
    /** Spend (minor units) that makes a member eligible; null for none. */
    spend: z.number().int().min(1).nullable(),
    /** Visits that make a member eligible; null for none. */
    visits: z.number().int().min(1).max(10000).nullable(),
    /** Welcome vouchers per member. */
    welcomeCount: z.number().int().min(1).max(50),
    welcome: voucherTermsSchema,
    /** Counted referral redemptions per reward. */
    rewardAfter: z.number().int().min(1).max(50),
    reward: voucherTermsSchema,
  })
  .strict();
export type ReferralRules = z.output<typeof referralRulesSchema>;

export interface IssuedVoucher extends ReferralVoucherView {
  text: string;
}

export interface ToGiveEntry extends ReferralVoucherView {
  /** The member it is for (reward) or in whose name it is given (welcome). */
  memberName: string;
}

export interface GraphNode {
  id: string;
  label: string;
  /** Generation in the referral tree: 0 for people nobody referred. */
  gen: number;
  spend: number;
  member: boolean;
}
export interface GraphEdge {
  source: string;
  target: string;
  kind: 'referred' | 'shared' | 'invited';
}
export interface GraphData {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface ReferralReport {
  perMember: { id: string; name: string; issued: number; redeemed: number; conversion: number }[];
  perMonth: { month: string; issued: number; redeemed: number; conversion: number }[];
  totals: { issued: number; redeemed: number; rewards: number; conversion: number };
}

export interface ImportIssue {
  /** Line in the file (1 is the header). */
  line: number;
  code: ErrorCode;
  message: string;
  params?: Record<string, string | number>;
}

export interface ImportPreview {
  token: string;
  kind: 'members' | 'relationships';
  columns: string[];
  /** Field → column name used. */
  mapping: Record<string, string>;
  rows: number;
  good: number;
  /** Good rows that would change nothing (already there). */
  unchanged: number;
  issues: ImportIssue[];
  sample: Record<string, string>[];
}

export interface CrmEventView {
  id: string;
  type: string;
  person: string | null;
  other: string | null;
  jti: string | null;
  event: string | null;
  at: number;
}

export interface CrmSettings {
  /** Members travel to the platform with the events only when on. */
  syncEnabled: boolean;
}

const id = z.string().min(1).max(64);
const phone = z.string().max(40);
const personFields = {
  name: z.string().trim().min(1).max(100),
  phone: phone.nullable().optional(),
  email: z.string().max(254).nullable().optional(),
  handles: z.record(z.string().max(32), z.string().max(100)).optional(),
  birthday: z.string().max(10).nullable().optional(),
  tags: z.array(z.string().max(32)).max(32).optional(),
  notes: z.string().max(4000).optional(),
  consent: z.object({ given: z.boolean(), how: z.string().max(100).default(''), at: z.number().int().nullable().optional() }).optional(),
  holders: z.array(z.string().min(1).max(64)).max(32).optional(),
};
const newPerson = z.object(personFields).strict();
export const MEMBER_SORTS = ['name', 'lastVisit', 'spend', 'visits', 'memberSince'] as const;
export const CSV_MEMBER_FIELDS = ['name', 'phone', 'email', 'birthday', 'tags', 'notes', 'wechat', 'qq', 'consent', 'memberSince', 'id'] as const;
export const CSV_LINK_FIELDS = ['from', 'to', 'kind', 'toName'] as const;

export const crmCalls = {
  'crm.memberAdd': {
    input: z
      .object({ ...personFields, member: z.boolean().default(true), allowDuplicate: z.boolean().default(false) })
      .strict(),
  },
  'crm.memberUpdate': {
    input: z.object({ id, ...personFields, member: z.boolean() }).partial().required({ id: true }).strict(),
  },
  'crm.memberGet': { input: z.object({ id }).strict() },
  'crm.search': {
    input: z
      .object({
        q: z.string().max(100).default(''),
        tag: z.string().max(32).optional(),
        level: z.number().int().min(0).max(99).optional(),
        membersOnly: z.boolean().default(true),
        sort: z.enum(MEMBER_SORTS).default('name'),
        desc: z.boolean().default(false),
        limit: z.number().int().min(1).max(500).default(100),
        offset: z.number().int().min(0).max(10_000_000).default(0),
      })
      .strict(),
  },
  'crm.lookupPhone': { input: z.object({ phone }).strict() },
  'crm.duplicates': { input: z.object({ phone: phone.nullable().optional(), email: z.string().max(254).nullable().optional() }).strict() },
  /** Merging a duplicate away cannot be undone: admin, like erasure. */
  'crm.merge': { input: z.object({ adminToken: adminToken.optional(), keepId: id, mergeId: id }).strict() },
  'crm.erase': { input: z.object({ adminToken: adminToken.optional(), id }).strict() },
  'crm.linkAdd': {
    input: z
      .object({ from: id, to: id.optional(), newPerson: newPerson.optional(), kind: z.enum(LINK_KINDS), allowDuplicate: z.boolean().default(false) })
      .strict()
      .refine((v) => (v.to === undefined) !== (v.newPerson === undefined), { message: 'give either to or newPerson', path: ['to'] }),
  },
  'crm.linkRemove': { input: z.object({ linkId: id }).strict() },
  'crm.attach': { input: z.object({ eventId: id, memberId: id }).strict() },
  'crm.counterSelect': { input: z.object({ memberId: id.nullable() }).strict() },
  'crm.counterGet': { input: z.object({}).strict() },
  'crm.counterScan': { input: z.object({ text: z.string().max(5000) }).strict() },
  'crm.cardToken': { input: z.object({ memberId: id }).strict() },
  'crm.rulesGet': { input: z.object({}).strict() },
  'crm.rulesSet': { input: z.object({ adminToken: adminToken.optional(), rules: referralRulesSchema }).strict() },
  'crm.referralIssue': { input: z.object({ memberId: id, personIds: z.array(id).max(50).optional() }).strict() },
  'crm.referralStatus': { input: z.object({ memberId: id }).strict() },
  'crm.toGive': { input: z.object({}).strict() },
  'crm.markGiven': { input: z.object({ jti: id }).strict() },
  'crm.voucherText': { input: z.object({ jti: id }).strict() },
  'crm.graph': { input: z.object({}).strict() },
  'crm.report': { input: z.object({}).strict() },
  'crm.events': { input: z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict() },
  'crm.importPreview': {
    input: z
      .object({
        kind: z.enum(['members', 'relationships']),
        /** The file's bytes, base64 (so the core can tell a wrong encoding). */
        contentBase64: z.string().max(70_000_000),
        /** `auto`: the encoding the file is in (a byte order mark, UTF-8, else GB18030/GBK; common/text/encoding.ts). */
        encoding: z.enum(['auto', 'utf-8', 'gbk']).default('auto'),
        mapping: z.record(z.string().max(32), z.string().max(100)).optional(),
      })
      .strict(),
  },
  'crm.importCommit': { input: z.object({ token: z.string().min(1).max(64) }).strict() },
  'crm.export': { input: z.object({ adminToken: adminToken.optional(), kind: z.enum(['members', 'relationships']) }).strict() },
  'crm.backup': { input: z.object({ adminToken: adminToken.optional() }).strict() },
  'crm.restore': { input: z.object({ adminToken: adminToken.optional(), json: z.string().max(200_000_000) }).strict() },
  'crm.settingsGet': { input: z.object({}).strict() },
  'crm.settingsSet': { input: z.object({ adminToken: adminToken.optional(), syncEnabled: z.boolean() }).strict() },
} as const;

export interface CrmResults {
  'crm.memberAdd': { member: MemberView | null; duplicates: MemberRow[] };
  'crm.memberUpdate': MemberView;
  'crm.memberGet': MemberDetail;
  'crm.search': { rows: MemberRow[]; more: boolean };
  'crm.lookupPhone': MemberRow[];
  'crm.duplicates': MemberRow[];
  'crm.merge': MemberView;
  'crm.erase': { ok: true };
  'crm.linkAdd': { linkId: string | null; person: MemberRow | null; duplicates: MemberRow[] };
  'crm.linkRemove': { ok: true };
  'crm.attach': { ok: true };
  'crm.counterSelect': { member: MemberRow | null };
  'crm.counterGet': { member: MemberRow | null };
  'crm.counterScan': { member: MemberRow };
  'crm.cardToken': { text: string };
  'crm.rulesGet': ReferralRules;
  'crm.rulesSet': ReferralRules;
  'crm.referralIssue': IssuedVoucher[];
  'crm.referralStatus': ReferralStatus;
  'crm.toGive': ToGiveEntry[];
  'crm.markGiven': { ok: true };
  'crm.voucherText': { text: string };
  'crm.graph': GraphData;
  'crm.report': ReferralReport;
  'crm.events': CrmEventView[];
  'crm.importPreview': ImportPreview;
  'crm.importCommit': { added: number; updated: number; unchanged: number; links: number; skipped: number };
  'crm.export': { csv: string; warning: string };
  'crm.backup': { json: string; warning: string };
  'crm.restore': { members: number; links: number; vouchers: number };
  'crm.settingsGet': CrmSettings;
  'crm.settingsSet': CrmSettings;
}

/** A member card's outer (JWE) header carries this so the counter can route it without a round trip. */
export const MEMBER_CARD_HEADER = 'vdm';
