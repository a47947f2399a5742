import { buildBundleJson } from '../../server/issuer/bundle';
import { generateIssuerKey, generateMerchantKeys, type Merchant, type Platform } from '../../server/issuer/keys';
import { claimsFor, createMinter, type ClaimKind, type ClaimOptions, type MintOptions } from '../../server/issuer/mint';

/** A test platform and merchant, made once per test file, with a fast minter. */
export interface TestIssuer {
  platform: Platform;
  merchant: Merchant;
  bundleJson: string;
  mint(kind?: ClaimKind, opts?: Partial<ClaimOptions>, mintOpts?: MintOptions): Promise<{ text: string; jti: string }>;
}

export async function makeTestIssuer(opts: { merchantId?: string } = {}): Promise<TestIssuer> {
  const platform: Platform = { iss: 'gb.test', name: 'Test Group Buy', signing: await generateIssuerKey({ alg: 'EdDSA', kid: 'gb-test-1' }) };
  const keys = await generateMerchantKeys({ enc: 'X25519', kid: 'm-test-enc', sigKid: 'm-test-sig' });
  const merchant: Merchant = {
    id: opts.merchantId ?? 'M-TEST',
    name: 'Test Shop',
    branch: { id: 'B01', name: 'Nanshan' },
    encryption: keys.encryption,
    ...(keys.signing ? { signing: keys.signing } : {}),
  };
  const minter = createMinter(platform, merchant.encryption.publicJwk);
  return {
    platform,
    merchant,
    bundleJson: JSON.stringify(buildBundleJson(merchant, [platform])),
    async mint(kind = 'item', o = {}, mintOpts) {
      const claims = claimsFor(kind, { iss: platform.iss, mid: merchant.id, sku: 'SKU-88', ...o });
      return { text: await minter.mint(claims, mintOpts), jti: String(claims.jti) };
    },
  };
}
