/** Verifying and redeeming vouchers, and the ledger. */
import { z } from 'zod';
import { text, adminToken } from './common';
import type { CampaignView, PointsCredit } from './catalog';

export const VERDICTS = [
  'VALID',
  'MALFORMED',
  'UNKNOWN_MERCHANT_KEY',
  'KEYSTORE_LOCKED',
  'DECRYPT_FAILED',
  'UNKNOWN_ISSUER',
  'BAD_SIGNATURE',
  'WRONG_MERCHANT',
  'NOT_YET_VALID',
  'EXPIRED',
  'CLOCK_BEHIND',
  'REVOKED',
  'CAMPAIGN_CLOSED',
  'ALREADY_REDEEMED',
  'PIN_REQUIRED',
  'PIN_WRONG',
] as const;
export type Verdict = (typeof VERDICTS)[number];

export type VoucherKind = 'item' | 'value' | 'gift';

/** The claims of a voucher as the core shows them (the PIN hash is never sent). */
export interface VoucherView {
  iss: string;
  jti: string;
  mid: string;
  kind: VoucherKind;
  sku: string | null;
  /** Product name from the local catalog, when known. */
  product: string | null;
  sub: string | null;
  qty: number | null;
  val: number | null;
  cur: string | null;
  use: number | null;
  exp: number | null;
  nbf: number | null;
  pinRequired: boolean;
  cmp: string | null;
  ref: string[] | null;
  shr: 'x' | 's' | null;
  lvl: number | null;
}

/** What is left on a voucher: units (item, gift) or minor units (value), and events. */
export interface Remaining {
  /** Units left (item/gift) or balance left in minor units (value). */
  left: number;
  /** The face: qty or val. */
  face: number;
  /** Redemption events left when the voucher has a `use` cap, else null. */
  usesLeft: number | null;
}

export interface RedemptionRef {
  eventId: string;
  at: number; // ms since epoch
  branch: string | null;
  device: string;
  cashier: string | null;
}

/**
 * Why a voucher was refused, when the verdict alone does not say it all:
 * - ALREADY_REDEEMED: `nothingLeft` (units), `balanceUsedUp` (stored value),
 *   `useCapReached` (the `use` cap, units still on it), `usedElsewhere` (the
 *   server knew an earlier redemption at another counter, online-first);
 * - CAMPAIGN_CLOSED: `notStarted`, `ended`, `outsideHours`, `soldOut` (nothing left, as this
 *   workstation or the server counts it), `soldOutHere` (strict mode, offline, this
 *   workstation's allotment used up: "sold out at this branch for now, try again when online");
 * - REVOKED: `revoked` with the issuer's `note` (its own words, e.g. "refunded");
 * - CLOCK_BEHIND: `clockBehind` with the latest time this workstation trusted (ms);
 * - PIN_WRONG: `locked` after too many wrong PINs, `until` when the lock ends (ms);
 * - MALFORMED: `tooLong` (far longer than any voucher), `incompleteScan` (a real
 *   voucher's scan cut short: scan again; also on DECRYPT_FAILED when the GBV1 tag is cut).
 */
export const verdictDetailSchema = z.discriminatedUnion('reason', [
  z.object({ reason: z.literal('nothingLeft') }),
  z.object({ reason: z.literal('balanceUsedUp') }),
  z.object({ reason: z.literal('useCapReached') }),
  z.object({ reason: z.literal('usedElsewhere') }),
  z.object({ reason: z.literal('notStarted') }),
  z.object({ reason: z.literal('ended') }),
  z.object({ reason: z.literal('outsideHours') }),
  z.object({ reason: z.literal('soldOut') }),
  z.object({ reason: z.literal('soldOutHere') }),
  z.object({ reason: z.literal('revoked'), note: z.string() }),
  z.object({ reason: z.literal('clockBehind'), trustedAt: z.number() }),
  z.object({ reason: z.literal('locked'), until: z.number() }),
  z.object({ reason: z.literal('incompleteScan') }),
  z.object({ reason: z.literal('tooLong') }),
]);
export type VerdictDetail = z.output<typeof verdictDetailSchema>;

/**
 * The question the counter asks next, decided by the core:
 * - `pin`: the customer's PIN (`wrong` after a wrong one, with the tries left);
 * - `units`: how many units to take now, 1..`max` (what is left, bounded by the campaign's stock),
 *   `take` when the cashier just confirms: 1, or all for the last visit a `use` cap allows;
 * - `amount`: the purchase amount, paid from a `balance` (minor units of `cur`).
 * The answer goes back in `voucher.redeem` as `pin`, `units` or `amount`.
 */
export const askSchema = z.discriminatedUnion('for', [
  z.object({ for: z.literal('pin'), wrong: z.boolean(), triesLeft: z.number().int().min(1).optional() }),
  z.object({ for: z.literal('units'), max: z.number().int().min(1), take: z.number().int().min(1) }),
  z.object({ for: z.literal('amount'), balance: z.number().int().min(1), cur: z.string().nullable() }),
]);
export type Ask = z.output<typeof askSchema>;

export interface VerifyResult {
  verdict: Verdict;
  /** Present once the voucher could be opened (from step 4 on). */
  voucher?: VoucherView;
  remaining?: Remaining;
  /** For ALREADY_REDEEMED: the last redemption. */
  last?: RedemptionRef;
  /** Why, when the verdict alone does not say it all (see VerdictDetail). */
  detail?: VerdictDetail;
  /** For PIN_WRONG: tries left before the lockout (0 once locked; when it ends is in `detail`). */
  triesLeft?: number;
  /** What the counter must ask before this scan can be recorded; absent when nothing. */
  ask?: Ask;
  /** The voucher's raw claims: only for the core's own trusted callers that ask (the CLI); never sent to a page. */
  claims?: Readonly<Record<string, unknown>>;
  /** Things the cashier should know, e.g. 'unknownCampaign', 'unknownProduct'. */
  flags?: string[];
  /** The campaign the voucher belongs to, when known here. */
  campaign?: CampaignView;
  /** For a shared voucher: the discount its level gives, to apply at the till. */
  discount?: { level: number; perk: string };
  /** The people on this scan as the counter shows them (see PeopleOnVerdict); never raw ids. */
  people?: PeopleOnVerdict;
}

/**
 * Who a scan concerns, in words a cashier can read out: a name the CRM knows,
 * otherwise a short masked form of the id ("·K3F9", "C-…24").
 */
export interface PeopleOnVerdict {
  /** The voucher's customer (its `sub`). */
  customer?: string;
  /** The member the redemption goes on (selected at the counter, or found from the voucher), when not the customer. */
  member?: string;
  /** Each points holder's label, by holder id (see RedeemResult.points). */
  holders?: Record<string, string>;
}

export interface RedeemResult extends VerifyResult {
  /** Present when the verdict is VALID and the redemption was recorded. */
  event?: HistoryEntry;
  /** For a stored-value purchase larger than the balance: what the customer still pays. */
  due?: number;
  /** Points credited to the chain of a shared voucher. */
  points?: PointsCredit[];
  /**
   * A double read: this voucher was redeemed on this device moments ago (within the
   * core's REPEAT_WINDOW_MS) and this is that same answer again; nothing new was recorded.
   */
  repeat?: boolean;
}

export interface HistoryEntry {
  id: string;
  type: 'redemption' | 'reversal';
  at: number;
  iss: string | null;
  jti: string | null;
  sku: string | null;
  product: string | null;
  kind: VoucherKind | null;
  units: number | null;
  amount: number | null;
  cur: string | null;
  branch: string | null;
  device: string;
  cashier: string | null;
  reverses: string | null;
  reversedBy: string | null;
  reason: string | null;
  /**
   * For a redemption not yet undone (in `ledger.history`): until when a manager may undo it (ms);
   * after that only the owner. The core decides (its clock, the `undo.windowMinutes` setting).
   */
  undoUntil?: number;
  /** For a reversal whose reason starts with a reason code: the code and the words after it (`reason` keeps the whole). */
  undoReason?: { code: UndoReason; text: string };
}

/**
 * Why a redemption is undone: a code from this short list, plus free text (required with `other`).
 * On the ledger and the wire the reversal's `reason` is "<code>" or "<code>: <text>" (sync-protocol.md).
 */
export const UNDO_REASONS = ['wrongVoucher', 'wrongProduct', 'changedMind', 'scannedTwice', 'other'] as const;
export type UndoReason = (typeof UNDO_REASONS)[number];
export const undoReason = z.enum(UNDO_REASONS);

export const vouchersCalls = {
  'voucher.verify': {
    input: z.object({ text, pin: z.string().max(32).optional() }).strict(),
  },
  'voucher.redeem': {
    input: z
      .object({
        text,
        pin: z.string().max(32).optional(),
        units: z.number().int().min(1).max(10000).optional(),
        amount: z.number().int().min(1).max(1_000_000_000_000).optional(),
        /**
         * The counter's call for a scan: redeem at once when nothing needs asking;
         * otherwise record nothing and answer with `ask` (PIN, units or amount),
         * so the screen asks and calls again with the answer.
         */
        unlessAsking: z.boolean().optional(),
      })
      .strict(),
  },
  'ledger.history': {
    input: z.object({ limit: z.number().int().min(1).max(1000).default(50), beforeSeq: z.number().int().optional() }).strict(),
  },
  'ledger.reverse': {
    /** Without `reasonCode` the text alone is the reason (an `other`, so it must not be empty). */
    input: z
      .object({ adminToken: adminToken.optional(), eventId: z.string().min(1).max(64), reasonCode: undoReason.optional(), reason: z.string().max(400).default('') })
      .strict(),
  },
  'voucher.unlockPin': { input: z.object({ adminToken: adminToken.optional(), iss: z.string().min(1).max(64), jti: z.string().min(1).max(64) }).strict() },
} as const;

export interface VouchersResults {
  'voucher.verify': VerifyResult;
  'voucher.redeem': RedeemResult;
  'ledger.history': HistoryEntry[];
  'ledger.reverse': HistoryEntry;
  'voucher.unlockPin': { ok: true };
}
