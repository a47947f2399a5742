import { z } from 'zod';

/** The claims of a GBV1 voucher (docs/spec/voucher-format.md §4). Unknown claims are kept. */
const str64 = z.string().min(1).max(64);
const numericDate = z.number().finite().min(0);

export const claimsSchema = z
  .looseObject({
    iss: str64,
    jti: str64,
    mid: str64,
    sku: z.string().max(64).optional(),
    sub: z.string().max(64).optional(),
    knd: z.enum(['item', 'value', 'gift']).optional(),
    qty: z.number().int().min(1).max(10000).optional(),
    val: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
    cur: z.string().regex(/^[A-Z]{3}$/).optional(),
    use: z.number().int().min(1).max(1_000_000).optional(),
    iat: numericDate.optional(),
    nbf: numericDate.optional(),
    exp: numericDate.optional(),
    pin: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/).optional(),
    cmp: z.string().max(64).optional(),
    ref: z.array(z.string().max(64)).max(16).optional(),
    shr: z.enum(['x', 's']).optional(),
    lvl: z.number().int().min(0).max(99).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.knd === 'value') {
      if (c.val === undefined) ctx.addIssue({ code: 'custom', path: ['val'], message: 'value voucher needs val' });
      if (c.cur === undefined) ctx.addIssue({ code: 'custom', path: ['cur'], message: 'value voucher needs cur' });
    }
  });

export type Claims = z.infer<typeof claimsSchema>;

/** A voucher's claims with the defaults of §4 applied, as the ledger needs them. */
export interface VoucherTerms {
  iss: string;
  jti: string;
  kind: 'item' | 'value' | 'gift';
  /** qty for item/gift, val for value. */
  face: number;
  cur: string | null;
  maxUses: number | null;
}

export function termsOf(c: Claims): VoucherTerms {
  const kind = c.knd ?? 'item';
  return {
    iss: c.iss,
    jti: c.jti,
    kind,
    face: kind === 'value' ? c.val! : (c.qty ?? 1),
    cur: kind === 'value' ? c.cur! : null,
    maxUses: c.use ?? null,
  };
}
