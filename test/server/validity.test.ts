/**
 * Issue 11, defect 9 (rest): a redemption's `at` is bounded by its voucher's
 * own validity start (`nbf`, stored at mint), not only by the server's clock,
 * so a backdated event cannot take the voucher from another branch's honest
 * redemption with a time at which the voucher could not yet be used.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- HTTP answers are JSON, checked by value in the assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/app';
import type { ServerDb } from '../../server/db';
import { VALIDITY_TOLERANCE_MS } from '../../server/events';
import { BACKENDS, serverHelpers, startReferenceServer, stopReferenceServer, type Dev } from './support';

describe.each(BACKENDS)('redemption time and the voucher validity on %s', (backend) => {
  let tmp: string;
  let sdb: ServerDb;
  let srv: RunningServer;
  let A: Dev, B: Dev;

  beforeAll(async () => {
    ({ tmp, sdb, srv, A, B } = await startReferenceServer(backend));
  });
  afterAll(() => stopReferenceServer({ tmp, sdb, srv }));
  const { upload, redemption, voucher } = serverHelpers(() => ({ srv, sdb }));
  const iso = (ms: number) => new Date(ms).toISOString();

  it('a backdated redemption before nbf is rejected and does not flip the honest one to conflict', async () => {
    const nbfMs = Math.floor((Date.now() - 2 * 3600_000) / 1000) * 1000;
    const jti = await voucher({ mid: 'M1', qty: 1, nbf: nbfMs / 1000 } as any);
    expect((await sdb.db.selectFrom('vouchers').select('nbf').where('jti', '=', jti).executeTakeFirstOrThrow()).nbf).toBe(nbfMs / 1000);
    const honest = await upload(B, [redemption(jti, iso(Date.now() - 30 * 60_000))]);
    expect(honest.json.results[0].status).toBe('stored');
    const backdated = await upload(A, [redemption(jti, iso(nbfMs - 3600_000))]);
    expect(backdated.json.results[0]).toMatchObject({ status: 'rejected' });
    expect(backdated.json.results[0].reason).toMatch(/\bat\b.*before the voucher became valid/);
    // The honest one is still the one that counts.
    const rows = await sdb.db.selectFrom('events').select(['id', 'status']).where('id', '=', honest.json.results[0].id).execute();
    expect(rows).toEqual([{ id: honest.json.results[0].id, status: 'stored' }]);
    // A retry of the same forgery is refused again, not stored on a second try.
    expect((await upload(A, [redemption(jti, iso(nbfMs - 3600_000))])).json.results[0].status).toBe('rejected');
  });

  it('a clock a little slow is fine: just inside the tolerance before nbf is stored, just outside is not', async () => {
    const nbfMs = Math.floor((Date.now() - 3600_000) / 1000) * 1000;
    const inside = await voucher({ mid: 'M1', nbf: nbfMs / 1000 } as any);
    const outside = await voucher({ mid: 'M1', nbf: nbfMs / 1000 } as any);
    const r = await upload(A, [redemption(inside, iso(nbfMs - VALIDITY_TOLERANCE_MS + 1000)), redemption(outside, iso(nbfMs - VALIDITY_TOLERANCE_MS - 1000))]);
    expect(r.json.results.map((x: any) => x.status)).toEqual(['stored', 'rejected']);
  });

  it('a voucher without nbf keeps the clock bounds only', async () => {
    const r = await upload(A, [redemption(await voucher(), '2026-11-21T09:00:00Z')]);
    expect(r.json.results[0].status).toBe('stored');
  });
});
