/** Verifying and redeeming vouchers, and the ledger. */
import { z } from 'zod';
import { text, adminToken, unixSeconds } from './common';
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

export interface VerifyResult {
  verdict: Verdict;
  /** Present once the voucher could be opened (from step 4 on). */
  voucher?: VoucherView;
  remaining?: Remaining;
  /** For ALREADY_REDEEMED: the last redemption. */
  last?: RedemptionRef;
  /** Extra words for the verdict: campaign reason, revocation reason, lockout end. */
  detail?: string;
  /** For PIN_WRONG: tries left before the lockout, or when the lockout ends (ms). */
  lockedUntil?: number;
  triesLeft?: number;
  /** Things the cashier should know, e.g. 'unknownCampaign', 'unknownProduct'. */
  flags?: string[];
  /** The campaign the voucher belongs to, when known here. */
  campaign?: CampaignView;
  /** For a shared voucher: the discount its level gives, to apply at the till. */
  discount?: { level: number; perk: string };
}

export interface RedeemResult extends VerifyResult {
  /** Present when the verdict is VALID and the redemption was recorded. */
  event?: HistoryEntry;
  /** For a stored-value purchase larger than the balance: what the customer still pays. */
  due?: number;
  /** Points credited to the chain of a shared voucher. */
  points?: PointsCredit[];
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
}

export const vouchersCalls = {
  'voucher.verify': {
    input: z.object({ text, pin: z.string().max(32).optional(), now: unixSeconds.optional() }).strict(),
  },
  'voucher.redeem': {
    input: z
      .object({
        text,
        pin: z.string().max(32).optional(),
        units: z.number().int().min(1).max(10000).optional(),
        amount: z.number().int().min(1).max(1_000_000_000_000).optional(),
        now: unixSeconds.optional(),
        /**
         * The counter's first call for a scan: redeem at once when no question is
         * needed (one unit left, not stored value, no PIN missing); otherwise answer
         * like voucher.verify, recording nothing, so the screen can ask.
         */
        unlessAsking: z.boolean().optional(),
      })
      .strict(),
  },
  'ledger.history': {
    input: z.object({ limit: z.number().int().min(1).max(1000).default(50), beforeSeq: z.number().int().optional() }).strict(),
  },
  'ledger.reverse': {
    input: z.object({ adminToken, eventId: z.string().min(1).max(64), reason: z.string().max(500).default('') }).strict(),
  },
  'voucher.unlockPin': { input: z.object({ adminToken, iss: z.string().min(1).max(64), jti: z.string().min(1).max(64) }).strict() },
} as const;

export interface VouchersResults {
  'voucher.verify': VerifyResult;
  'voucher.redeem': RedeemResult;
  'ledger.history': HistoryEntry[];
  'ledger.reverse': HistoryEntry;
  'voucher.unlockPin': { ok: true };
}
