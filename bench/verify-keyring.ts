import type { KeyObject } from 'node:crypto';
import type { IssuerKeyType, Keyring, MerchantKeyType } from '../main/core/vouchers/codec';

/** A keyring of key objects made once, as the key store keeps them after unlock. */
export class BenchKeyring implements Keyring {
  readonly merchant = new Map<string, { type: MerchantKeyType; key: KeyObject }>();
  readonly issuer = new Map<string, { type: IssuerKeyType; key: KeyObject; iss: string }>();
  merchantKey(kid: string) {
    return this.merchant.get(kid) ?? null;
  }
  issuerKey(kid: string) {
    return this.issuer.get(kid) ?? null;
  }
}
