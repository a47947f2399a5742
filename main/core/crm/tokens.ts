import { CompactEncrypt, CompactSign, type JWK } from 'jose';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { MEMBER_CARD_HEADER } from '../../../preload/api/crm';
import type { Db } from '../db/open';
import { UserError } from '../errors';
import { describeJwk } from '../keystore/jwk';
import { merchantIssuer, type KeyStore } from '../keystore/keystore';
import { openVoucher, parseVoucherText } from '../vouchers/codec';
import { isGbv2 } from '../vouchers/gbv2/open';
import { sealGbv2, type Gbv2SignAlg } from '../vouchers/gbv2/seal';

/**
 * Tokens the workstation issues itself (docs/spec/voucher-format.md §8): signed with
 * the merchant's signing key from the bundle, sealed to the merchant's own
 * encryption key, issuer `merchant:<merchant id>`. Referral and reward vouchers
 * are ordinary vouchers; a member card is told apart by the unknown claim
 * `vdm: "card"` (kept by both codecs).
 *
 * They are GBV2 (docs/spec/voucher-format-v2.md: about half the length, so a
 * printed card is a smaller QR code that reads from further off) whenever the
 * bundle's keys allow it: an Ed25519 or P-256 signing key and an X25519 or P-256
 * encryption key. A bundle with an RSA key falls back to GBV1, which has RSA
 * algorithms and GBV2 has none. Cards printed as GBV1 are read as before.
 * A GBV1 card also carries a hint in its outer header for the counter; a GBV2
 * envelope has no room for one, so the counter knows a GBV2 card by the
 * voucher path's refusal (EXPIRED, issuer `merchant:…`, jti `card-…`).
 */
export const CARD_CLAIM = 'vdm';

const SIGN_ALG: Record<string, string> = { Ed25519: 'EdDSA', 'P-256': 'ES256', RSA: 'PS256' };
const ENC_ALG: Record<string, string> = { X25519: 'ECDH-ES', 'P-256': 'ECDH-ES', RSA: 'RSA-OAEP-256' };
/** The GBV2 forms of the same keys; RSA has none. */
const SIGN_ALG_V2: Record<string, Gbv2SignAlg> = { Ed25519: 'EdDSA', 'P-256': 'ES256' };
const KEM_V2: Record<string, 'X25519' | 'P-256'> = { X25519: 'X25519', 'P-256': 'P-256' };

/** The prefix of a member card's jti. */
export const CARD_JTI_PREFIX = 'card-';

interface KeyRow {
  kid: string;
  public_jwk: string;
}

export class MerchantTokens {
  private sealKey: { kid: string; key: KeyObject; alg: string; type: string; fp: string } | null = null;

  constructor(
    private readonly db: Db,
    private readonly keystore: KeyStore,
  ) {}

  merchantId(): string {
    const m = this.keystore.merchant();
    if (!m) throw new UserError('crm.noMerchant', 'Import the merchant bundle first: vouchers and member cards are issued in its name.');
    return m.id;
  }

  issuer(): string {
    return merchantIssuer(this.merchantId());
  }

  private signer(): { kid: string; key: KeyObject; alg: string; type: string } {
    const row = this.db.prepare("SELECT kid, public_jwk FROM keys WHERE role = 'merchant-signing' ORDER BY added_at DESC, kid LIMIT 1").get() as KeyRow | undefined;
    if (!row) throw new UserError('crm.noSigningKey', 'The merchant bundle has no signing key, so this workstation cannot issue vouchers. Ask the platform for a bundle with signingKeys.');
    const key = this.keystore.signingKey(row.kid);
    if (!key) throw new UserError('keystore.locked', 'The key store is locked: enter the admin passphrase first.');
    const type = describeJwk(JSON.parse(row.public_jwk) as JWK).type;
    const alg = SIGN_ALG[type];
    if (!alg) throw new UserError('crm.noSigningKey', 'The merchant signing key cannot sign vouchers.');
    return { kid: row.kid, key, alg, type };
  }

  private sealer(): { kid: string; key: KeyObject; alg: string; type: string } {
    const row = this.db.prepare("SELECT kid, public_jwk FROM keys WHERE role = 'merchant-encryption' ORDER BY added_at DESC, kid LIMIT 1").get() as KeyRow | undefined;
    if (!row) throw new UserError('crm.noMerchant', 'Import the merchant bundle first: vouchers and member cards are issued in its name.');
    if (this.sealKey?.kid === row.kid && this.sealKey.fp === row.public_jwk) return this.sealKey;
    const jwk = JSON.parse(row.public_jwk) as JWK;
    const type = describeJwk(jwk).type;
    const alg = ENC_ALG[type]!;
    const { kid: _kid, ...bare } = jwk;
    this.sealKey = { kid: row.kid, key: createPublicKey({ key: bare as never, format: 'jwk' }), alg, type, fp: row.public_jwk };
    return this.sealKey;
  }

  /** Fails early (before anything is written) when tokens cannot be made. */
  check(): void {
    this.merchantId();
    this.signer();
    this.sealer();
  }

  async mint(claims: Record<string, unknown>, opts: { card?: boolean } = {}): Promise<string> {
    const s = this.signer();
    const e = this.sealer();
    const signAlg = SIGN_ALG_V2[s.type];
    const kem = KEM_V2[e.type];
    if (signAlg && kem) return sealGbv2({ signAlg, signKid: s.kid, signingKey: s.key, merchantKid: e.kid, kem, sealKey: e.key }, claims);
    // An RSA key (signing or encryption): GBV2 has no RSA algorithms, so the token is GBV1.
    const enc = new TextEncoder();
    const jws = await new CompactSign(enc.encode(JSON.stringify(claims))).setProtectedHeader({ alg: s.alg, kid: s.kid, typ: 'gbv+jwt' }).sign(s.key);
    const header: Record<string, unknown> = { alg: e.alg, enc: 'A256GCM', kid: e.kid, cty: 'JWT' };
    if (opts.card) header[MEMBER_CARD_HEADER] = 'card';
    const jwe = await new CompactEncrypt(enc.encode(jws)).setProtectedHeader(header as { alg: string; enc: string }).encrypt(e.key);
    return `GBV1:${jwe}`;
  }

  /**
   * A member card: its jti is `card-<member id>`, which names the member (cards
   * printed before carried the id in `sub` as well, and one whose id does not
   * fit the jti's 64 characters still does: a GBV2 card is a few bytes too
   * long for its QR code with it). It carries an `exp` in the past on
   * purpose, so a voucher path that is handed a card refuses it (EXPIRED)
   * instead of recording a redemption; the counter routes cards to the CRM.
   */
  card(memberId: string, now: number): Promise<string> {
    const mid = this.merchantId();
    const jti = `${CARD_JTI_PREFIX}${memberId}`;
    const id = jti.length <= 64 ? { jti } : { jti: jti.slice(0, 64), sub: memberId };
    return this.mint({ iss: merchantIssuer(mid), ...id, mid, knd: 'item', qty: 1, iat: Math.floor(now / 1000), exp: 1, [CARD_CLAIM]: 'card' }, { card: true });
  }

  /** The claims of a token whose signature and seal open with this workstation's keys (not yet checked as anything); null when they do not. */
  async verifiedClaims(text: string): Promise<Record<string, unknown> | null> {
    if (!isGbv2(text) && !parseVoucherText(text)) return null;
    const opened = await openVoucher(text, this.keystore);
    if (opened.verdict === 'KEYSTORE_LOCKED') throw new UserError('keystore.locked', 'The key store is locked: enter the admin passphrase first.');
    if (opened.verdict !== 'VALID') return null;
    return opened.claims as Record<string, unknown>;
  }

  /** The member id on a card, verified with the merchant's own key; null when the text is no card of this merchant. */
  async readCard(text: string): Promise<string | null> {
    const c = await this.verifiedClaims(text);
    if (!c) return null;
    const mid = this.keystore.merchant()?.id;
    if (!mid || c.iss !== merchantIssuer(mid) || c.mid !== mid || c[CARD_CLAIM] !== 'card') return null;
    if (typeof c.sub === 'string') return c.sub;
    const jti = c.jti as string;
    return jti.startsWith(CARD_JTI_PREFIX) && jti.length > CARD_JTI_PREFIX.length ? jti.slice(CARD_JTI_PREFIX.length) : null;
  }
}

/** True when scanned GBV1 text carries the member-card hint in its outer header (no decryption); a GBV2 card has no such hint. */
export function looksLikeCard(text: string): boolean {
  const p = parseVoucherText(text);
  return !!p && p.header[MEMBER_CARD_HEADER] === 'card';
}
