import { buildBundleJson } from '../../server/issuer/bundle';
import type { VoucherFormat } from '../../server/issuer/format';
import { generateIssuerKey, generateMerchantKeys, type EncKeyType, type Merchant, type Platform, type SigningAlg } from '../../server/issuer/keys';
import { claimsFor, createMinter, type ClaimKind, type ClaimOptions, type MintOptions } from '../../server/issuer/mint';
import { createMinterV2 } from '../../server/issuer/mint-v2';

/** A test platform and merchant, made once per test file, with a fast minter. */
export interface TestIssuer {
  platform: Platform;
  merchant: Merchant;
  bundleJson: string;
  /** What `mint` makes: GBV1 unless the issuer was made with `format: 'gbv2'`. */
  format: VoucherFormat;
  /** Mint a voucher of a kind; `mintOpts` are GBV1's (a GBV2 issuer refuses them). */
  mint(kind?: ClaimKind, opts?: Partial<ClaimOptions>, mintOpts?: MintOptions): Promise<{ text: string; jti: string }>;
}

export async function makeTestIssuer(
  opts: { merchantId?: string; format?: VoucherFormat; signingAlg?: SigningAlg; enc?: EncKeyType } = {},
): Promise<TestIssuer> {
  const format = opts.format ?? 'gbv1';
  const platform: Platform = { iss: 'gb.test', name: 'Test Group Buy', signing: await generateIssuerKey({ alg: opts.signingAlg ?? 'EdDSA', kid: 'gb-test-1' }) };
  const keys = await generateMerchantKeys({ enc: opts.enc ?? 'X25519', kid: 'm-test-enc', sigKid: 'm-test-sig' });
  const merchant: Merchant = {
    id: opts.merchantId ?? 'M-TEST',
    name: 'Test Shop',
    branch: { id: 'B01', name: 'Nanshan' },
    encryption: keys.encryption,
    ...(keys.signing ? { signing: keys.signing } : {}),
  };
  const v1 = format === 'gbv1' ? createMinter(platform, merchant.encryption.publicJwk) : null;
  const v2 = format === 'gbv2' ? createMinterV2(platform, merchant.encryption.publicJwk) : null;
  return {
    platform,
    merchant,
    bundleJson: JSON.stringify(buildBundleJson(merchant, [platform])),
    format,
    async mint(kind = 'item', o = {}, mintOpts) {
      const claims = claimsFor(kind, { iss: platform.iss, mid: merchant.id, sku: 'SKU-88', ...o });
      if (v2 && mintOpts) throw new Error('GBV1 mint options given to a GBV2 test issuer');
      const text = v2 ? await v2.mint(claims) : await v1!.mint(claims, mintOpts);
      return { text, jti: String(claims.jti) };
    },
  };
}
