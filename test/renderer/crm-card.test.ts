/**
 * The counter's view of the shop's own cards and the QR codes it prints: a GBV2
 * card (no outer header) is known by the voucher path's refusal, a GBV1 card by
 * its header hint; a GBV2 text is drawn in alphanumeric mode at level M, a
 * GBV1 text as before (level L).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import type { VerifyResult, VoucherView } from '../../preload/contract';
import { isMemberCardRefusal, isMemberCardText } from '../../renderer/src/crm/card';
import { qrPlan } from '../../renderer/src/crm/qr';

const VECTORS = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'vectors-v2', 'vectors.json'), 'utf8')) as {
  vectors: { text: string; expect: string }[];
};
const GBV2_TEXT = VECTORS.vectors.find((v) => v.expect === 'VALID' && v.text.length < 1000)!.text.trim();

const view = (v: Partial<VoucherView>): VoucherView => ({ iss: 'merchant:M1', jti: 'card-01ABC', mid: 'M1', exp: 1, ...v }) as VoucherView;
const refusal = (verdict: VerifyResult['verdict'], v: Partial<VoucherView>): VerifyResult => ({ verdict, voucher: view(v) });

describe('member cards at the counter', () => {
  it('a refusal of the shop own card (EXPIRED, merchant issuer, card jti, exp 1) is a card', () => {
    expect(isMemberCardRefusal(refusal('EXPIRED', {}))).toBe(true);
  });

  it('no other refusal is', () => {
    expect(isMemberCardRefusal({ verdict: 'EXPIRED' })).toBe(false);
    expect(isMemberCardRefusal(refusal('WRONG_MERCHANT', {}))).toBe(false);
    expect(isMemberCardRefusal(refusal('EXPIRED', { iss: 'gb.example' }))).toBe(false);
    expect(isMemberCardRefusal(refusal('EXPIRED', { jti: 'welcome-1' }))).toBe(false);
    expect(isMemberCardRefusal(refusal('EXPIRED', { exp: 1_800_000_000 }))).toBe(false);
  });

  it('a GBV2 text carries no header hint', () => {
    expect(isMemberCardText(GBV2_TEXT)).toBe(false);
  });
});

describe('printed QR codes', () => {
  it('a GBV2 text is drawn in alphanumeric mode at level M, version 12 or lower', () => {
    const plan = qrPlan(GBV2_TEXT);
    expect(plan).toEqual({ segments: [{ mode: 'alphanumeric', data: GBV2_TEXT }], level: 'M' });
    const qr = QRCode.create(plan.segments, { errorCorrectionLevel: plan.level });
    expect(qr.version).toBeLessThanOrEqual(12);
    expect(qr.segments.map((s) => s.mode.id)).toEqual(['Alphanumeric']);
  });

  it('a GBV1 text stays at level L, the library choosing its modes', () => {
    expect(qrPlan('GBV1:eyJhbGciOiJFQ0RILUVTIn0..a.b.c')).toEqual({ segments: 'GBV1:eyJhbGciOiJFQ0RILUVTIn0..a.b.c', level: 'L' });
  });
});
