/**
 * Which voucher format a mint makes: GBV2 (compact: CBOR, COSE, HPKE, Base45;
 * docs/spec/voucher-format-v2.md) by default, GBV1 (JOSE;
 * docs/spec/voucher-format.md) on request. One minter shape for both, for the
 * issuer tool, the reference server and the demo.
 */
import type { EncKeyType } from './keys';
import { createMinter, type Claims, type MerchantKeyInput, type MintOptions, type SignerInput } from './mint';
import { createMinterV2 } from './mint-v2';

export const VOUCHER_FORMATS = ['gbv2', 'gbv1'] as const;
export type VoucherFormat = (typeof VOUCHER_FORMATS)[number];
/** New vouchers are GBV2: half the length of GBV1, a QR code of version 12 or lower. */
export const DEFAULT_FORMAT: VoucherFormat = 'gbv2';

export interface FormatMinter {
  readonly format: VoucherFormat;
  /** Mint one voucher: its text, with its prefix. */
  mint(claims: Claims): Promise<string>;
  readonly merchantKid: string;
  readonly merchantKeyType: EncKeyType | null;
}

/**
 * A minter of the format; throws when GBV2 is asked of keys it cannot use (RSA,
 * RS256, PS256). `options` are GBV1's; GBV2 takes only `prefix` from them.
 */
export function minterFor(format: VoucherFormat, signer: SignerInput, merchantEncKey: MerchantKeyInput, options: MintOptions = {}): FormatMinter {
  const minter =
    format === 'gbv2'
      ? createMinterV2(signer, merchantEncKey, options.prefix === undefined ? {} : { prefix: options.prefix })
      : createMinter(signer, merchantEncKey, options);
  return { format, mint: (claims) => minter.mint(claims), merchantKid: minter.merchantKid, merchantKeyType: minter.merchantKeyType };
}
