/**
 * Minting GBV1 vouchers (docs/spec/voucher-format.md §1–§5): claims for every kind, the
 * inner JWS signed by the issuer, the outer JWE sealed to the merchant, the
 * text with its `GBV1:` prefix, and the QR picture of a voucher's text (GBV1 or GBV2).
 *
 * The minter accepts well-formed and deliberately malformed input alike (wrong
 * types, out-of-range values, unknown claims, odd headers): it is a test tool,
 * and the workstation is the one that judges.
 *
 * No side effects on import.
 */
import { createHash, randomInt } from 'node:crypto';
import { CompactEncrypt, CompactSign, importJWK, type JWK } from 'jose';
import QRCode from 'qrcode';
import {
  defaultKeyManagementAlg,
  encKeyTypeOf,
  importAlgForEncKey,
  publicJwkOf,
  type ContentEnc,
  type EncKeyType,
  type ImportedKey,
  type KeyManagementAlg,
  type SigningAlg,
} from './keys';

export const GBV1_PREFIX = 'GBV1:';
export const INNER_TYP = 'gbv+jwt';
const DAY = 86_400;

// ------------------------------------------------------------------ claims

/** A voucher's claims: the JSON object signed by the issuer. Any member is allowed. */
export type Claims = Record<string, unknown>;

/** The kinds `claimsFor` knows; the last four are `item` vouchers with a feature's claims filled in. */
export const CLAIM_KINDS = ['item', 'value', 'gift', 'multi-use', 'pin', 'campaign', 'shared'] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];

/**
 * Options of `claimsFor`. A member left out gets the kind's default (if any);
 * a member set to `null` is left out of the claims. Members not listed here
 * are copied into the claims unchanged, and `extra` is applied last, over
 * everything (use it for wrong types: `extra: { qty: "3" }`).
 */
export interface ClaimOptions {
  iss: string | null;
  mid: string | null;
  /** Default: 10 random upper-case base32 characters. */
  jti?: string | null;
  sku?: string | null;
  sub?: string | null;
  /** Default: the kind's `knd` (item, value or gift). */
  knd?: string | null;
  qty?: number | null;
  val?: number | null;
  cur?: string | null;
  use?: number | null;
  /** Default: `now`. */
  iat?: number | null;
  nbf?: number | null;
  /** Default: `now` + 30 days. */
  exp?: number | null;
  /** The PIN the customer will say; the claim holds `pinHash(jti, pin)`. */
  pin?: string | number | null;
  cmp?: string | null;
  ref?: string[] | null;
  shr?: 'x' | 's' | null;
  lvl?: number | null;
  /** The instant (seconds since the epoch) the defaults count from; default: the clock. */
  now?: number;
  /** Claims set last, over everything else, exactly as given. */
  extra?: Claims;
  [claim: string]: unknown;
}

/** Defaults each kind brings (before the caller's options). */
export const KIND_DEFAULTS: Record<ClaimKind, Partial<Record<string, unknown>>> = {
  item: { knd: 'item', qty: 1 },
  value: { knd: 'value', val: 10_000, cur: 'CNY' },
  gift: { knd: 'gift', qty: 1 },
  'multi-use': { knd: 'item', qty: 10, use: 3 },
  pin: { knd: 'item', qty: 1, pin: '1234' },
  campaign: { knd: 'item', qty: 1, cmp: 'CMP-DEMO' },
  shared: { knd: 'item', qty: 1, ref: ['u-alice', 'u-bob'], shr: 'x', lvl: 1 },
};

/** The spec's claims, in the order they are written. */
const CLAIM_ORDER = [
  'iss', 'jti', 'mid', 'sku', 'sub', 'knd', 'qty', 'val', 'cur', 'use',
  'iat', 'nbf', 'exp', 'pin', 'cmp', 'ref', 'shr', 'lvl',
] as const;
const NOT_CLAIMS = new Set(['now', 'extra']);

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A random serial: `length` upper-case base32 characters (default 10, 50 bits). */
export function randomJti(length = 10): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE32[randomInt(32)];
  return out;
}

/** The `pin` claim: base64url(SHA-256(jti + ":" + pin)). */
export function pinHash(jti: string, pin: string): string {
  return createHash('sha256').update(`${jti}:${pin}`, 'utf8').digest('base64url');
}

/** Seconds since the epoch, now. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Build the claims of a voucher of a kind. See `ClaimOptions` for how
 * defaults, `null` and unknown members work.
 */
export function claimsFor(kind: ClaimKind, options: ClaimOptions): Claims {
  const defaults = KIND_DEFAULTS[kind];
  if (!defaults) throw new Error(`unknown voucher kind: ${String(kind)}`);
  const now = options.now ?? nowSeconds();
  const merged: Record<string, unknown> = {
    jti: randomJti(),
    iat: now,
    exp: now + 30 * DAY,
    ...defaults,
  };
  for (const [name, value] of Object.entries(options)) {
    if (NOT_CLAIMS.has(name) || value === undefined) continue;
    merged[name] = value;
  }
  if (merged.pin !== null && merged.pin !== undefined) {
    if (typeof merged.jti !== 'string') throw new Error('a PIN voucher needs a string jti to hash the PIN with');
    merged.pin = pinHash(merged.jti, String(merged.pin));
  }
  const claims: Claims = {};
  for (const name of CLAIM_ORDER) {
    const value = merged[name];
    if (value !== null && value !== undefined) claims[name] = value;
  }
  for (const [name, value] of Object.entries(merged)) {
    if ((CLAIM_ORDER as readonly string[]).includes(name)) continue;
    if (value !== null && value !== undefined) claims[name] = value;
  }
  return { ...claims, ...(options.extra ?? {}) };
}

/**
 * A time for `iat`, `nbf`, `exp`: seconds since the epoch (`1767225600`),
 * relative to `now` (`+7d`, `-2h`, `+30m`, `+90s`, `+2w`, `now`), or an ISO
 * 8601 date/time (`2026-12-31`, `2026-12-31T18:00:00+08:00`).
 */
export function parseTime(spec: string, now = nowSeconds()): number {
  const s = spec.trim();
  if (s === 'now') return now;
  if (/^-?\d+$/.test(s)) return Number(s);
  const rel = /^([+-])(\d+)([smhdw]?)$/.exec(s);
  if (rel) {
    const unit = { '': 1, s: 1, m: 60, h: 3600, d: DAY, w: 7 * DAY }[rel[3] as '' | 's' | 'm' | 'h' | 'd' | 'w'];
    return now + (rel[1] === '-' ? -1 : 1) * Number(rel[2]) * unit;
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) {
    const ms = Date.parse(s);
    if (!Number.isNaN(ms)) return Math.floor(ms / 1000);
  }
  throw new Error(`not a time: "${spec}" (use seconds since the epoch, +7d / -2h / +30m, or an ISO date)`);
}

// ------------------------------------------------------------------ minting

/** The issuer side of a mint: a platform (or a merchant signing its own vouchers). */
export interface SignerInput {
  signing: { alg: SigningAlg; kid: string } & ({ privateJwk: JWK } | { privateKey: ImportedKey });
}

/**
 * The merchant's encryption key a voucher is sealed to: its public JWK with
 * `kid` (private members are ignored), or an already imported key with its kid.
 */
export type MerchantKeyInput = JWK | { kid: string; key: ImportedKey; type?: EncKeyType };

export interface MintOptions {
  /** Outer key management; default by key type: ECDH-ES for X25519/P-256, RSA-OAEP-256 for RSA. */
  alg?: KeyManagementAlg;
  /** Outer content encryption; default A256GCM. */
  enc?: ContentEnc;
  /** Prefix the JWE with `GBV1:`; default true. */
  prefix?: boolean;
  /** Put `typ: gbv+jwt` in the JWS header; default true. */
  typ?: boolean;
  /** Members merged into the outer (JWE) protected header; `undefined` removes one (e.g. `{ cty: undefined }`). */
  outerHeader?: Record<string, unknown>;
  /** Members merged into the inner (JWS) protected header; `undefined` removes one. */
  innerHeader?: Record<string, unknown>;
  /** Sign these exact bytes instead of the JSON of the claims (for payloads that are not JSON). */
  rawPayload?: string;
}

export interface Minter {
  /** Mint one voucher: the `GBV1:` text (or the bare JWE). */
  mint(claims: Claims, opts?: MintOptions): Promise<string>;
  /** The merchant key's kid and type the minter seals to. */
  readonly merchantKid: string;
  readonly merchantKeyType: EncKeyType | null;
}

function isJwk(input: MerchantKeyInput): input is JWK {
  return typeof (input as JWK).kty === 'string';
}

/** The encryption key type of an imported key object (CryptoKey or node KeyObject). */
function typeOfImported(key: ImportedKey): EncKeyType | null {
  const algo = (key as { algorithm?: { name?: string; namedCurve?: string } }).algorithm;
  if (algo?.name) {
    if (algo.name === 'X25519') return 'X25519';
    if (algo.name === 'ECDH' && algo.namedCurve === 'P-256') return 'P-256';
    if (algo.name.startsWith('RSA')) return 'RSA';
    return null;
  }
  const node = key as { asymmetricKeyType?: string; asymmetricKeyDetails?: { namedCurve?: string } };
  if (node.asymmetricKeyType === 'x25519') return 'X25519';
  if (node.asymmetricKeyType === 'ec' && node.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'P-256';
  if (node.asymmetricKeyType === 'rsa') return 'RSA';
  return null;
}

function mergeHeader(base: Record<string, unknown>, over: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base, ...(over ?? {}) };
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
  return out;
}

async function asKey(imported: Promise<unknown>): Promise<ImportedKey> {
  const key = await imported;
  if (key instanceof Uint8Array) throw new Error('expected an asymmetric key, got a symmetric one');
  return key as ImportedKey;
}

/**
 * Import the issuer's and the merchant's keys once and return a fast `mint`.
 * Use it when minting many vouchers (benchmarks, sheets).
 */
export function createMinter(signer: SignerInput, merchantEncKey: MerchantKeyInput, defaults: MintOptions = {}): Minter {
  const { alg: signAlg, kid: signKid } = signer.signing;
  const signingKey: Promise<ImportedKey> =
    'privateKey' in signer.signing
      ? Promise.resolve(signer.signing.privateKey)
      : asKey(importJWK(signer.signing.privateJwk, signAlg));
  // Avoid an unhandled rejection before the first mint; mint() awaits it again.
  signingKey.catch(() => undefined);

  let merchantKid: string;
  let merchantKeyType: EncKeyType | null;
  const encKeys = new Map<string, Promise<ImportedKey>>();
  let encKeyFor: (alg: string) => Promise<ImportedKey>;
  if (isJwk(merchantEncKey)) {
    if (typeof merchantEncKey.kid !== 'string' || merchantEncKey.kid === '') {
      throw new Error('the merchant encryption key has no kid');
    }
    merchantKid = merchantEncKey.kid;
    merchantKeyType = encKeyTypeOf(merchantEncKey);
    const pub = publicJwkOf(merchantEncKey);
    // One import per key family: the ECDH-ES variants share a key object.
    encKeyFor = (alg) => {
      const family = alg.startsWith('ECDH-ES') ? 'ECDH-ES' : alg;
      let key = encKeys.get(family);
      if (!key) {
        key = asKey(importJWK(pub, family));
        encKeys.set(family, key);
      }
      return key;
    };
  } else {
    merchantKid = merchantEncKey.kid;
    merchantKeyType = merchantEncKey.type ?? typeOfImported(merchantEncKey.key);
    const key = Promise.resolve(merchantEncKey.key);
    encKeyFor = () => key;
  }
  if (merchantKeyType) void encKeyFor(importAlgForEncKey(merchantKeyType)).catch(() => undefined);

  const encoder = new TextEncoder();

  async function mint(claims: Claims, opts: MintOptions = {}): Promise<string> {
    const o = { ...defaults, ...opts };
    const alg = o.alg ?? (merchantKeyType ? defaultKeyManagementAlg(merchantKeyType) : undefined);
    if (!alg) throw new Error('cannot tell the merchant key type: pass alg');
    const enc = o.enc ?? 'A256GCM';

    const innerHeader = mergeHeader(
      { alg: signAlg, kid: signKid, ...(o.typ === false ? {} : { typ: INNER_TYP }) },
      o.innerHeader,
    );
    const payload = encoder.encode(o.rawPayload ?? JSON.stringify(claims));
    const jws = await new CompactSign(payload)
      .setProtectedHeader(innerHeader as { alg: string })
      .sign(await signingKey);

    const outerHeader = mergeHeader({ alg, enc, kid: merchantKid, cty: 'JWT' }, o.outerHeader);
    const jwe = await new CompactEncrypt(encoder.encode(jws))
      .setProtectedHeader(outerHeader as { alg: string; enc: string })
      .encrypt(await encKeyFor(alg));
    return o.prefix === false ? jwe : GBV1_PREFIX + jwe;
  }

  return { mint, merchantKid, merchantKeyType };
}

export interface MintVoucherInput extends MintOptions {
  platform: SignerInput;
  merchantEncKey: MerchantKeyInput;
  claims: Claims;
}

/** Mint one voucher. For many, use `createMinter` (keys imported once). */
export async function mintVoucher(input: MintVoucherInput): Promise<string> {
  const { platform, merchantEncKey, claims, ...opts } = input;
  return createMinter(platform, merchantEncKey).mint(claims, opts);
}

// ------------------------------------------------------------------ QR code

export interface QrOptions {
  /** Pixels per module; default 4. */
  scale?: number;
}

function qrRenderOptions(opts: QrOptions) {
  return { type: 'png' as const, errorCorrectionLevel: 'M' as const, margin: 4, scale: opts.scale ?? 4 };
}

/** The characters QR alphanumeric mode holds (5.5 bits each): all a GBV2 voucher uses. */
const QR_ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]+$/;

/**
 * The QR segment for a text: alphanumeric mode when every character allows it
 * (a GBV2 voucher, voucher-format-v2.md §1), byte mode (UTF-8) otherwise (GBV1, any text).
 */
export function qrSegments(text: string): QRCode.QRCodeSegment[] {
  return QR_ALPHANUMERIC.test(text) ? [{ mode: 'alphanumeric', data: text }] : [{ mode: 'byte', data: Buffer.from(text, 'utf8') }];
}

/** The symbol version (1–40) of a text's QR code at error correction level M. */
export function qrVersion(text: string): number {
  return QRCode.create(qrSegments(text), { errorCorrectionLevel: 'M' }).version;
}

/** The QR code (alphanumeric or byte mode, error correction M, margin 4) of a text, as PNG bytes. */
export async function qrPng(text: string, opts: QrOptions = {}): Promise<Buffer> {
  return QRCode.toBuffer(qrSegments(text), qrRenderOptions(opts));
}

/** Write the QR code (alphanumeric or byte mode, error correction M, margin 4) of a text to a PNG file. */
export async function writeQrPng(text: string, file: string, opts: QrOptions = {}): Promise<void> {
  await QRCode.toFile(file, qrSegments(text), qrRenderOptions(opts));
}
