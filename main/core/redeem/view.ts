import type { VoucherView } from '../../../preload/contract';
import { termsOf, type Claims } from '../vouchers/claims';

/** The claims of a voucher as the screens see them (never the PIN hash). */
export function voucherView(c: Claims, product: string | null): VoucherView {
  const t = termsOf(c);
  return {
    iss: c.iss,
    jti: c.jti,
    mid: c.mid,
    kind: t.kind,
    sku: c.sku ?? null,
    product,
    sub: c.sub ?? null,
    qty: t.kind === 'value' ? null : t.face,
    val: c.val ?? null,
    cur: c.cur ?? null,
    use: c.use ?? null,
    exp: c.exp ?? null,
    nbf: c.nbf ?? null,
    pinRequired: c.pin !== undefined,
    cmp: c.cmp ?? null,
    ref: c.ref ?? null,
    shr: c.shr ?? null,
    lvl: c.lvl ?? null,
  };
}
