/**
 * The API contract between the renderer and the core.
 *
 * Every call the renderer may make is listed here once: its name, the zod
 * schema of its input and the type of its result. The Electron main process
 * and the browser host both check each call against this map before relaying
 * it to the core process; the core checks it again before running a handler.
 *
 * This file is shared by both sides of the process boundary, so it imports
 * nothing but zod and holds no behaviour beyond validation.
 */
import { z } from 'zod';

// ---------------------------------------------------------------- verdicts

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

export interface ProductView {
  sku: string;
  name: string;
  price: number | null;
  cur: string | null;
  picture: string | null;
}

export interface RevocationView {
  iss: string;
  jti: string;
  reason: string;
  at: number;
  source: string;
}

export interface CampaignView {
  id: string;
  name: string;
  /** Units this workstation may redeem in the campaign; null for no limit. */
  stock: number | null;
  /** Units redeemed here so far. */
  used: number;
  /** ms since the epoch, or null. */
  from: number | null;
  to: number | null;
  /** Opening hours in local time, e.g. "10:00-14:00,17:00-22:00", or null for any time. */
  hours: string | null;
  source: string;
}

export interface LevelRule {
  level: number;
  /** Points needed to reach this level. */
  points: number;
  /** What the level gives, shown to the cashier (e.g. "10% off"). */
  perk: string;
}

export interface PointsRules {
  /** Points the redeemer (`sub`) earns per redemption of a shared voucher. */
  redeemer: number;
  /** Points each earlier holder earns (mode x: the first holder only; mode s: every holder). */
  holder: number;
  levels: LevelRule[];
}

export interface PointsCredit {
  holder: string;
  role: 'redeemer' | 'holder';
  points: number;
  /** The holder's total and level after this credit. */
  total: number;
  level: number;
  levelChanged: boolean;
}

export interface HolderPoints {
  holder: string;
  points: number;
  level: number;
  perk: string;
  /** Points needed for the next level, or null at the top. */
  toNext: number | null;
  entries: { id: string; eventId: string; role: 'redeemer' | 'holder'; delta: number; at: number }[];
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

export interface KeyView {
  kid: string;
  role: 'merchant-encryption' | 'merchant-signing' | 'issuer';
  iss: string | null;
  kty: string;
  crv: string | null;
  bits: number | null;
  /** RFC 7638 thumbprint, first 16 characters. */
  fingerprint: string;
  source: string;
  addedAt: number;
}

export interface KeystoreView {
  state: 'empty' | 'locked' | 'unlocked';
  protector: 'passphrase' | 'os';
  merchant: { id: string; name: string } | null;
  branch: { id: string; name: string } | null;
  issuers: { iss: string; name: string }[];
  keys: KeyView[];
}

export interface AppInfo {
  version: string;
  device: string;
  keystore: KeystoreView['state'];
  protector: KeystoreView['protector'];
  merchant: { id: string; name: string } | null;
  branch: { id: string; name: string } | null;
  adminConfigured: boolean;
}

export interface ImportResult {
  merchant: { id: string; name: string } | null;
  added: KeyView[];
  /** Warnings the admin should read: 'clearBundle' when the bundle was not encrypted. */
  warnings: string[];
}

export interface Settings {
  toleranceSeconds: number;
  cashier: string;
  locale: 'auto' | 'en' | 'zh-CN';
  sound: boolean;
}

// ---------------------------------------------------------------- inputs

const text = z.string().max(100_000);
const passphrase = z.string().min(1).max(1024);
const adminToken = z.string().min(1).max(200);
const unixSeconds = z.number().int().min(0).max(32503680000);

export const calls = {
  'app.info': { input: z.object({}).strict() },
  'admin.setup': { input: z.object({ passphrase: z.string().min(8).max(1024) }).strict() },
  'admin.login': { input: z.object({ passphrase }).strict() },
  'keystore.view': { input: z.object({}).strict() },
  'keystore.unlock': { input: z.object({ passphrase }).strict() },
  'keystore.lock': { input: z.object({}).strict() },
  'keystore.import': {
    input: z
      .object({
        adminToken,
        fileName: z.string().max(500),
        content: text,
        bundlePassphrase: z.string().max(1024).optional(),
        role: z.enum(['merchant-encryption', 'merchant-signing', 'issuer']).optional(),
        kid: z.string().min(1).max(64).optional(),
        iss: z.string().min(1).max(64).optional(),
        replaceMerchant: z.boolean().optional(),
      })
      .strict(),
  },
  'keystore.remove': { input: z.object({ adminToken, kid: z.string().min(1).max(64) }).strict() },
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
  'products.list': { input: z.object({ query: z.string().max(100).default(''), limit: z.number().int().min(1).max(1000).default(100) }).strict() },
  'products.import': { input: z.object({ adminToken, fileName: z.string().max(500), content: text }).strict() },
  'revocations.list': { input: z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict() },
  'revocations.import': { input: z.object({ adminToken, fileName: z.string().max(500), content: text }).strict() },
  'campaigns.list': { input: z.object({}).strict() },
  'campaigns.set': {
    input: z
      .object({
        adminToken,
        id: z.string().min(1).max(64),
        name: z.string().min(1).max(200),
        stock: z.number().int().min(0).nullable().default(null),
        from: z.number().int().min(0).nullable().default(null),
        to: z.number().int().min(0).nullable().default(null),
        hours: z.string().max(100).nullable().default(null),
      })
      .strict(),
  },
  'campaigns.delete': { input: z.object({ adminToken, id: z.string().min(1).max(64) }).strict() },
  'campaigns.import': { input: z.object({ adminToken, fileName: z.string().max(500), content: text }).strict() },
  'points.rules': { input: z.object({}).strict() },
  'points.setRules': {
    input: z
      .object({
        adminToken,
        redeemer: z.number().int().min(0).max(1_000_000),
        holder: z.number().int().min(0).max(1_000_000),
        levels: z
          .array(z.object({ level: z.number().int().min(0).max(99), points: z.number().int().min(0), perk: z.string().max(100) }))
          .min(1)
          .max(100),
      })
      .strict(),
  },
  'points.show': { input: z.object({ holder: z.string().min(1).max(64) }).strict() },
  'settings.get': { input: z.object({}).strict() },
  'settings.set': {
    input: z
      .object({
        adminToken: adminToken.optional(),
        toleranceSeconds: z.number().int().min(0).max(86400).optional(),
        cashier: z.string().max(64).optional(),
        locale: z.enum(['auto', 'en', 'zh-CN']).optional(),
        sound: z.boolean().optional(),
      })
      .strict(),
  },
} as const;

/** The result type of every call. Kept beside `calls` so both change together. */
export interface CallResults {
  'app.info': AppInfo;
  'admin.setup': { token: string; expiresAt: number };
  'admin.login': { token: string; expiresAt: number };
  'keystore.view': KeystoreView;
  'keystore.unlock': KeystoreView;
  'keystore.lock': KeystoreView;
  'keystore.import': ImportResult;
  'keystore.remove': KeystoreView;
  'voucher.verify': VerifyResult;
  'voucher.redeem': RedeemResult;
  'ledger.history': HistoryEntry[];
  'ledger.reverse': HistoryEntry;
  'voucher.unlockPin': { ok: true };
  'products.list': ProductView[];
  'products.import': { imported: number };
  'revocations.list': RevocationView[];
  'revocations.import': { imported: number };
  'campaigns.list': CampaignView[];
  'campaigns.set': CampaignView;
  'campaigns.delete': CampaignView[];
  'campaigns.import': { imported: number };
  'points.rules': PointsRules;
  'points.setRules': PointsRules;
  'points.show': HolderPoints;
  'settings.get': Settings;
  'settings.set': Settings;
}

export type CallName = keyof typeof calls;
export type CallInput<N extends CallName> = z.input<(typeof calls)[N]['input']>;
export type ParsedInput<N extends CallName> = z.output<(typeof calls)[N]['input']>;
export type CallResult<N extends CallName> = CallResults[N];

// ---------------------------------------------------------------- events

export interface EventPayloads {
  /** The ledger changed (a redemption or reversal was recorded). */
  'ledger.changed': { eventId: string };
  /** The key store was locked, unlocked or changed. */
  'keystore.changed': { state: KeystoreView['state'] };
}
export const EVENT_NAMES = ['ledger.changed', 'keystore.changed'] as const satisfies readonly (keyof EventPayloads)[];
export type EventName = (typeof EVENT_NAMES)[number];

// ---------------------------------------------------------------- errors

/**
 * A failed call. `code` is a stable i18n key (for example `keys.wrongPassphrase`);
 * `message` is English for logs and the CLI; `params` fill the translated text.
 * Never contains secrets or voucher text.
 */
export interface CallError {
  code: string;
  message: string;
  params?: Record<string, string | number>;
}

export type CallOutcome<T> = { ok: true; value: T } | { ok: false; error: CallError };

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
}

/**
 * Checks a call from the page: a known name and an input matching its schema.
 * Returns the parsed input, or a CallError that names the problem (never the input).
 */
export function checkCall(
  name: unknown,
  input: unknown,
): { ok: true; name: CallName; input: unknown } | { ok: false; error: CallError } {
  if (!isCallName(name)) {
    return { ok: false, error: { code: 'api.unknownCall', message: 'Unknown call' } };
  }
  const parsed = calls[name].input.safeParse(input ?? {});
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(input)').join(', ');
    return {
      ok: false,
      error: { code: 'api.badInput', message: `Invalid input for ${name}: ${fields}`, params: { call: name, fields } },
    };
  }
  return { ok: true, name, input: parsed.data };
}

/**
 * What preload exposes on `window.voucherdesk` (plain data only, so it crosses
 * the context bridge): each call resolves to its outcome, never throws.
 */
export interface VoucherDeskBridge {
  call(name: CallName, input: unknown): Promise<CallOutcome<unknown>>;
  on(event: EventName, fn: (payload: unknown) => void): () => void;
}

/** The typed API the renderer uses, built over a bridge (Electron) or HTTP (browser host). */
export interface VoucherDeskApi {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>>;
  on<E extends EventName>(event: E, fn: (payload: EventPayloads[E]) => void): () => void;
}

/** The error a rejected `api.call` throws in the renderer. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
