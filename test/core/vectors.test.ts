import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/services';
import { newWorkstation, VECTORS } from '../support/workstation';

// Every conformance vector made by an independent JOSE implementation,
// judged at the vectors' `now` on an empty ledger: verdict and claims.
describe('GBV1 conformance vectors', () => {
  let ws: Awaited<ReturnType<typeof newWorkstation>>;
  let core: Core;
  beforeAll(async () => {
    ws = await newWorkstation();
    core = ws.core;
    core.settings.set('toleranceSeconds', String(VECTORS.toleranceSeconds));
  });
  afterAll(() => ws.cleanup());

  it('has vectors to check', () => {
    expect(VECTORS.vectors.length).toBeGreaterThanOrEqual(48);
  });

  for (const v of VECTORS.vectors) {
    it(`${v.name} → ${v.expect}`, async () => {
      const r = await core.invoke('voucher.verify', { text: v.text, ...(v.pin ? { pin: v.pin } : {}) }, { now: VECTORS.now, claims: true });
      expect(r.verdict).toBe(v.expect);
      if (v.claims) expect(r.claims).toEqual(v.claims);
    });
  }

  it('gives the screens the voucher without its raw claims or PIN hash', async () => {
    const v = VECTORS.vectors.find((x) => x.name === 'pin given')!;
    const out = await core.call('voucher.verify', { text: v.text, pin: v.pin }, { now: VECTORS.now });
    expect(out.ok).toBe(true);
    const value = (out as { value: Record<string, unknown> }).value;
    expect(value.claims).toBeUndefined();
    expect(JSON.stringify(value)).not.toContain(String(v.claims!.pin));
    expect(value.voucher).toMatchObject({ jti: 'pub-pin-1', pinRequired: true, qty: 2, kind: 'item', sku: 'SKU-88' });
  });
});
