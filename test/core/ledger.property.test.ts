import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/services';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { callOk, newWorkstation } from '../support/workstation';

// For any sequence of redemptions and reversals: what is used never goes below
// zero or above the face value, and recomputing from the events gives the
// stored totals.
let issuer: TestIssuer;
let ws: Awaited<ReturnType<typeof newWorkstation>>;
let core: Core;

beforeAll(async () => {
  issuer = await makeTestIssuer();
  ws = await newWorkstation({ keysFile: null });
  core = ws.core;
  await callOk(core, 'keystore.import', { adminToken: ws.token, fileName: 'b.json', content: issuer.bundleJson });
});
afterAll(() => ws.cleanup());

type Step = { op: 'redeem'; voucher: number; n: number } | { op: 'reverse'; pick: number };

const step = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('redeem' as const), voucher: fc.integer({ min: 0, max: 2 }), n: fc.integer({ min: 1, max: 4000 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reverse' as const), pick: fc.nat() }) },
);

interface Totals {
  used: number;
  uses: number;
}

function fromEvents(iss: string, jti: string): Totals {
  return core.db
    .prepare(
      `SELECT COALESCE(SUM(CASE type WHEN 'redemption' THEN COALESCE(units, amount) ELSE -COALESCE(units, amount) END), 0) AS used,
              COALESCE(SUM(CASE type WHEN 'redemption' THEN 1 ELSE -1 END), 0) AS uses
         FROM events WHERE iss = ? AND jti = ?`,
    )
    .get(iss, jti) as Totals;
}

describe('ledger properties', () => {
  it('never below zero, never above the face, and the maintained totals equal the events', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps: Step[]) => {
        const vouchers: { text: string; jti: string; face: number; kind: string; maxUses?: number }[] = [
          { ...(await issuer.mint('item', { qty: 5 })), face: 5, kind: 'item' },
          { ...(await issuer.mint('value', { val: 3000 })), face: 3000, kind: 'value' },
          { ...(await issuer.mint('multi-use', { qty: 8, use: 3 })), face: 8, kind: 'item', maxUses: 3 },
        ];
        const redemptions: string[] = [];
        for (const s of steps) {
          if (s.op === 'redeem') {
            const v = vouchers[s.voucher]!;
            const input = v.kind === 'value' ? { text: v.text, amount: s.n } : { text: v.text, units: 1 + (s.n % 6) };
            const out = await core.call('voucher.redeem', input);
            if (out.ok) {
              const r = out.value as { verdict: string; event?: { id: string } };
              if (r.event) redemptions.push(r.event.id);
            } else {
              expect(['redeem.tooManyUnits']).toContain(out.error.code);
            }
          } else if (redemptions.length) {
            const id = redemptions[s.pick % redemptions.length]!;
            const out = await core.call('ledger.reverse', { adminToken: ws.token, eventId: id, reason: 'prop' });
            if (!out.ok) expect(out.error.code).toBe('ledger.alreadyReversed');
          }
        }
        for (const v of vouchers) {
          const row = core.ledger.voucher('gb.test', v.jti);
          const used = row?.used ?? 0;
          expect(used).toBeGreaterThanOrEqual(0);
          expect(used).toBeLessThanOrEqual(v.face);
          if (v.maxUses) expect(row?.uses ?? 0).toBeLessThanOrEqual(v.maxUses);
          expect({ used, uses: row?.uses ?? 0 }).toEqual(fromEvents('gb.test', v.jti));
        }
      }),
      { numRuns: 60 },
    );
  });
});
