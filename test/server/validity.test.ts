/**
 * Issue 11, defect 9 (rest): a redemption's `at` is bounded by its voucher's
 * own validity start (`nbf`, stored at mint), not only by the server's clock,
 * so a backdated event cannot take the voucher from another branch's honest
 * redemption with a time at which the voucher could not yet be used. Nor by
 * the time the server minted it (`issued_at`): a voucher without `nbf` could
 * not be redeemed before it existed either.
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

  it('a voucher without nbf keeps the clock bounds and its issue time only', async () => {
    const r = await upload(A, [redemption(await voucher(), '2026-11-21T09:00:00Z')]);
    expect(r.json.results[0].status).toBe('stored');
  });

  const issuedAt = async (jti: string) => (await sdb.db.selectFrom('vouchers').select('issued_at').where('jti', '=', jti).executeTakeFirstOrThrow()).issued_at;

  it('a redemption backdated before the voucher was issued is rejected and does not flip the honest one to conflict', async () => {
    const issuedMs = Math.floor((Date.now() - 2 * 3600_000) / 1000) * 1000;
    const jti = await voucher({ mid: 'M1', qty: 1, now: issuedMs / 1000 });
    expect(await issuedAt(jti)).toBe(issuedMs / 1000);
    const honest = await upload(B, [redemption(jti, iso(Date.now() - 30 * 60_000))]);
    expect(honest.json.results[0].status).toBe('stored');
    // A week before the voucher existed: after 2000, before the server's clock, and the voucher has no nbf.
    const weekBefore = iso(issuedMs - 7 * 86_400_000);
    const backdated = await upload(A, [redemption(jti, weekBefore)]);
    expect(backdated.json.results[0]).toMatchObject({ status: 'rejected' });
    expect(backdated.json.results[0].reason).toMatch(/\bat\b.*before the voucher was issued/);
    const rows = await sdb.db.selectFrom('events').select(['id', 'status']).where('vkey', '=', JSON.stringify(['gb.test', jti])).execute();
    expect(rows).toEqual([{ id: honest.json.results[0].id, status: 'stored' }]);
    expect((await upload(A, [redemption(jti, weekBefore)])).json.results[0].status).toBe('rejected');
  });

  it('a clock a little slow is fine: just inside the tolerance before the issue time is stored, just outside is not', async () => {
    const issuedMs = Math.floor((Date.now() - 3600_000) / 1000) * 1000;
    const inside = await voucher({ mid: 'M1', now: issuedMs / 1000 });
    const outside = await voucher({ mid: 'M1', now: issuedMs / 1000 });
    const r = await upload(A, [redemption(inside, iso(issuedMs - VALIDITY_TOLERANCE_MS + 1000)), redemption(outside, iso(issuedMs - VALIDITY_TOLERANCE_MS - 1000))]);
    expect(r.json.results.map((x: any) => x.status)).toEqual(['stored', 'rejected']);
  });

  it('a voucher minted before the server kept its issue time keeps the other bounds only', async () => {
    const issuedMs = Math.floor((Date.now() - 3600_000) / 1000) * 1000;
    const jti = await voucher({ mid: 'M1', now: issuedMs / 1000 });
    await sdb.db.updateTable('vouchers').set({ issued_at: null }).where('jti', '=', jti).execute(); // as migration 0003 left it
    const r = await upload(A, [redemption(jti, iso(issuedMs - 7 * 86_400_000))]);
    expect(r.json.results[0].status).toBe('stored');
  });
});
