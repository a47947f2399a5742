/**
 * Issuer keys the platform announces in the changes feed (docs/spec/sync-protocol.md
 * `issuer-key`): trusted from the authenticated channel, no longer trusted
 * once retired. A server speaks only for the issuers its bundle names: a key
 * for any other issuer (the merchant's own `merchant:<id>` above all, or
 * another platform) is refused, and so is retiring another issuer's key
 * (issue 11). The key store reloads its public keys after a page changed any.
 */
import type { JWK } from 'jose';
import type { Db } from '../db/open';
import type { Logger } from '../log';
import { describeJwk, fingerprint, issuerKeyType, keyObjectFromJwk, publicJwk, type KeyInfo } from './jwk';

/** An announced key, read and fingerprinted (outside any transaction: fingerprints are async). */
export interface AnnouncedKey {
  jwk: JWK;
  kid: string;
  fp: string;
  info: KeyInfo;
}

export class SyncedIssuerKeys {
  private readonly s;

  constructor(
    db: Db,
    private readonly log: Logger,
  ) {
    this.s = {
      issuerUpsert: db.prepare('INSERT INTO issuers (iss, name) VALUES (?, ?) ON CONFLICT(iss) DO NOTHING'),
      byKid: db.prepare<[string], { fingerprint: string; iss: string | null }>("SELECT fingerprint, iss FROM keys WHERE role = 'issuer' AND kid = ?"),
      insert: db.prepare(`INSERT INTO keys (role, kid, iss, kty, crv, bits, public_jwk, private_blob, fingerprint, source, added_at)
        VALUES ('issuer', @kid, @iss, @kty, @crv, @bits, @public_jwk, NULL, @fingerprint, @source, @added_at)`),
      remove: db.prepare("DELETE FROM keys WHERE role = 'issuer' AND kid = ?"),
    };
  }

  /** The public part of an announced key, or null when it is not a usable issuer key. */
  async read(key: Record<string, unknown>): Promise<AnnouncedKey | null> {
    try {
      const jwk = key as JWK;
      const kid = typeof jwk.kid === 'string' ? jwk.kid : '';
      const info = describeJwk(jwk);
      if (!kid || info.isPrivate || !issuerKeyType(info.type)) return null;
      const pub = publicJwk(jwk, kid);
      // The right shape is not enough: the numbers must make a key (an Ed25519 x of 31 bytes
      // does not), or storing it would break the key store at the next start.
      keyObjectFromJwk(pub, 'public');
      return { jwk: pub, kid, fp: await fingerprint(pub), info };
    } catch {
      this.log.info('sync: issuer key ignored', { reason: 'unreadable' });
      return null;
    }
  }

  /**
   * Trusts or stops trusting a key; true when the keys changed. 'retired' (the
   * reference server's word) or 'revoked' keys stop being trusted; 'rotated'
   * keys still verify the vouchers minted before the rotation. Call inside a transaction.
   */
  apply(key: AnnouncedKey, iss: string, status: string | undefined, source: string, now: number, speaksFor: ReadonlySet<string>): boolean {
    if (!speaksFor.has(iss)) {
      this.log.warn('sync: issuer key refused', { reason: 'not this server\'s issuer', iss, kid: key.kid });
      return false;
    }
    const existing = this.s.byKid.get(key.kid);
    if (status === 'retired' || status === 'revoked') {
      if (existing && existing.iss !== iss) {
        this.log.warn('sync: issuer key refused', { reason: 'retires another issuer\'s key', iss, kid: key.kid });
        return false;
      }
      if (existing) this.s.remove.run(key.kid);
      return !!existing;
    }
    if (existing) {
      if (existing.fingerprint !== key.fp || existing.iss !== iss) this.log.info('sync: issuer key ignored', { reason: 'kid taken', kid: key.kid });
      return false;
    }
    this.s.issuerUpsert.run(iss, iss);
    this.s.insert.run({
      kid: key.kid,
      iss,
      kty: key.info.kty,
      crv: key.info.crv,
      bits: key.info.bits,
      public_jwk: JSON.stringify(key.jwk),
      fingerprint: key.fp,
      source,
      added_at: now,
    });
    return true;
  }
}
