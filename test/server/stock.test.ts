/**
 * Campaign stock on the reference server (issue 15, docs/spec/sync-protocol.md
 * "Campaign stock"), on SQLite and on PostgreSQL: allotments (never beyond
 * what is free, idempotent, given back), online-first soldOut, oversells
 * answered once and listed at settlement, reversals and overturned winners
 * in the counts, the forwarded `cmp`, and the `Sync-Protocol: 2` header.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- HTTP answers are JSON, checked by value in the assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/app';
import { createDevice, createMerchant, setCampaign } from '../../server/admin';
import { importBatch, writeBatch } from '../../server/batch';
import type { ServerDb } from '../../server/db';
import type { JWK } from 'jose';
import { BACKENDS, nextId, serverHelpers, startReferenceServer, stopReferenceServer, type Dev } from './support';

describe.each(BACKENDS)('campaign stock on %s', (backend) => {
  let tmp: string;
  let sdb: ServerDb;
  let srv: RunningServer;
  let A: Dev, B: Dev, C: Dev, Z: Dev;
  let sigKey: JWK;

  beforeAll(async () => {
    ({ tmp, sdb, srv, A, B, C, Z, sigKey } = await startReferenceServer(backend));
  });
  afterAll(() => stopReferenceServer({ tmp, sdb, srv }));
  const { call, upload, redemption, voucher, allChanges } = serverHelpers(() => ({ srv, sdb }));

  const allot = (dev: Dev, campaign: string, consumed: number, want?: number) =>
    call(dev, 'POST', '/v1/allotments', { campaign, consumed, ...(want !== undefined ? { want } : {}) });
  const counts = (campaign: string, mid = 'M1') =>
    sdb.db.selectFrom('campaign_counts').select(['stock', 'redeemed', 'reserved']).where('mid', '=', mid).where('campaign', '=', campaign).executeTakeFirst();
  const allotment = (dev: Dev, campaign: string) =>
    sdb.db.selectFrom('allotments').select(['granted', 'consumed']).where('campaign', '=', campaign).where('device', '=', dev.id).executeTakeFirst();
  /** reserved is the sum of held over the merchant's devices. */
  async function expectReservedIsHeld(campaign: string, mid = 'M1') {
    const rows = await sdb.db.selectFrom('allotments').select(['granted', 'consumed']).where('mid', '=', mid).where('campaign', '=', campaign).execute();
    expect((await counts(campaign, mid))?.reserved).toBe(rows.reduce((n, r) => n + Number(r.granted) - Number(r.consumed), 0));
  }
  const stocked = async (id: string, stock: number, n: number, opts: Record<string, unknown> = {}) => {
    await setCampaign(sdb, { id, mid: 'M1', stock });
    const jtis: string[] = [];
    for (let i = 0; i < n; i++) jtis.push(await voucher({ mid: 'M1', cmp: id, ...opts }));
    return jtis;
  };

  it('grants never beyond what is free; a retry is harmless; units are given back; 400 and 404', async () => {
    await setCampaign(sdb, { id: 'G1', mid: 'M1', stock: 10 });
    const a1 = await allot(A, 'G1', 0, 6);
    expect(a1.status).toBe(200);
    expect(a1.json).toMatchObject({ campaign: 'G1', granted: 6, stock: 10, redeemed: 0, reserved: 6, held: 6 });
    expect(typeof a1.json.serverTime).toBe('string');
    expect((await allot(A, 'G1', 0, 6)).json).toMatchObject({ granted: 6, reserved: 6, held: 6 }); // the retry
    expect((await allot(B, 'G1', 0, 6)).json).toMatchObject({ granted: 4, reserved: 10, held: 4 }); // only 4 free
    expect((await allot(C, 'G1', 0, 1)).json).toMatchObject({ granted: 0, reserved: 10, held: 0 });
    expect((await allot(C, 'G1', 0)).json).toMatchObject({ granted: 0, stock: 10, redeemed: 0, reserved: 10 }); // asks, changes nothing
    expect((await allot(A, 'G1', 0, 2)).json).toMatchObject({ granted: 2, reserved: 6, held: 2 }); // gives 4 back
    expect((await allot(A, 'G1', 0, 2)).json).toMatchObject({ granted: 2, reserved: 6 });
    expect((await allot(C, 'G1', 0, 3)).json).toMatchObject({ granted: 3, reserved: 9 });
    expect((await allot(B, 'G1', 0, 0)).json).toMatchObject({ granted: 0, reserved: 5, held: 0 }); // everything back
    expect(await counts('G1')).toEqual({ stock: 10, redeemed: 0, reserved: 5 });
    await expectReservedIsHeld('G1');

    const bad = await call(A, 'POST', '/v1/allotments', { campaign: 'G1', consumed: -1 });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('bad_request');
    expect(bad.json.message).toMatch(/consumed/);
    expect((await call(A, 'POST', '/v1/allotments', { campaign: 'G1', consumed: 0, extra: 1 })).status).toBe(400);
    const none = await allot(A, 'NO-SUCH', 0, 1);
    expect(none.status).toBe(404);
    expect(none.json.error).toBe('unknown_campaign');
    await setCampaign(sdb, { id: 'G-M2', mid: 'M2', stock: 5 });
    expect((await allot(A, 'G-M2', 0, 1)).status).toBe(404); // another merchant's campaign
    await setCampaign(sdb, { id: 'G-NOLIMIT', mid: 'M1' });
    expect((await allot(A, 'G-NOLIMIT', 0, 5)).json).toMatchObject({ granted: 0, stock: null, reserved: 0, held: 0 });
    expect((await call(null, 'POST', '/v1/allotments', { campaign: 'G1', consumed: 0 })).status).toBe(401);
  });

  it('the grant target counts consumed units not uploaded yet, and allot moves units from held to redeemed', async () => {
    const [v1, v2] = await stocked('T1', 10, 2);
    expect((await allot(A, 'T1', 0, 4)).json).toMatchObject({ granted: 4, held: 4 });
    // Offline, A used 1 of its allotment (not uploaded yet) and wants to hold 4 again: target 1 + 4.
    expect((await allot(A, 'T1', 1, 4)).json).toMatchObject({ granted: 5, held: 5, reserved: 5 });
    const up = await upload(A, [redemption(v1!, '2026-11-21T09:00:00Z', { allot: 1 })]);
    expect(up.json.results[0]).toEqual({ id: up.json.results[0].id, status: 'stored' });
    expect(await counts('T1')).toEqual({ stock: 10, redeemed: 1, reserved: 4 });
    expect(await allotment(A, 'T1')).toEqual({ granted: 5, consumed: 1 });
    // The same call again after the upload: nothing more.
    expect((await allot(A, 'T1', 1, 4)).json).toMatchObject({ granted: 5, held: 4, redeemed: 1, reserved: 4 });
    // An allot beyond what the device holds (4) takes only what it holds; the rest counts as without allotment.
    const big = await upload(A, [redemption(v2!, '2026-11-21T09:01:00Z', { allot: 9 })]);
    expect(big.json.results[0].status).toBe('stored');
    expect(await allotment(A, 'T1')).toEqual({ granted: 5, consumed: 2 }); // 1 unit: what it took
    expect(await counts('T1')).toEqual({ stock: 10, redeemed: 2, reserved: 3 });
    await expectReservedIsHeld('T1');
  });

  it('an online-first redemption that does not fit in what is free is soldOut and changes nothing; its allotment is used first', async () => {
    const jtis = await stocked('S1', 3, 4);
    expect((await allot(A, 'S1', 0, 1)).json).toMatchObject({ granted: 1 });
    const b1 = await upload(B, [redemption(jtis[0]!, '2026-11-21T10:00:00Z', { offline: false })]);
    expect(b1.json.results[0].status).toBe('stored'); // 3 − 1 reserved: 2 free
    const b2 = await upload(B, [redemption(jtis[1]!, '2026-11-21T10:01:00Z', { offline: false })]);
    expect(b2.json.results[0].status).toBe('stored'); // 1 free
    const before = await allChanges(A);
    const sold = redemption(jtis[2]!, '2026-11-21T10:02:00Z', { offline: false });
    const b3 = await upload(B, [sold]);
    expect(b3.json.results[0]).toEqual({ id: sold.id, status: 'rejected', reason: 'soldOut' });
    expect((await upload(B, [sold])).json.results[0]).toEqual({ id: sold.id, status: 'rejected', reason: 'soldOut' });
    expect(await counts('S1')).toEqual({ stock: 3, redeemed: 2, reserved: 1 });
    const v = await sdb.db.selectFrom('vouchers').select(['used_units', 'used_events']).where('jti', '=', jtis[2]!).executeTakeFirstOrThrow();
    expect(v).toEqual({ used_units: 0, used_events: 0 });
    expect(await sdb.db.selectFrom('events').select('id').where('id', '=', sold.id).executeTakeFirst()).toBeUndefined();
    expect(await allChanges(A)).toEqual(before);
    // A holds the last unit: its online-first redemption with allot 1 needs nothing free.
    const a1 = await upload(A, [redemption(jtis[2]!, '2026-11-21T10:03:00Z', { offline: false, allot: 1 })]);
    expect(a1.json.results[0]).toEqual({ id: a1.json.results[0].id, status: 'stored' });
    expect(await counts('S1')).toEqual({ stock: 3, redeemed: 3, reserved: 0 });
    const c1 = await upload(C, [redemption(jtis[3]!, '2026-11-21T10:04:00Z', { offline: false, allot: 1 })]); // C holds nothing
    expect(c1.json.results[0].reason).toBe('soldOut');
    await expectReservedIsHeld('S1');
  });

  it('an offline redemption past the stock is stored with its oversell, answered the same on retry, listed once at settlement', async () => {
    const [v1, v2, v3] = await stocked('O1', 1, 3, { kind: 'item', qty: 3 });
    const e1 = redemption(v1!, '2026-11-21T11:00:00Z');
    const e2 = redemption(v2!, '2026-11-21T11:05:00Z', { units: 2 });
    const r = await upload(A, [e1, e2]);
    expect(r.json.results).toEqual([
      { id: e1.id, status: 'stored' },
      { id: e2.id, status: 'stored', oversell: 2 },
    ]);
    expect((await upload(A, [e2])).json.results[0]).toEqual({ id: e2.id, status: 'duplicate', was: 'stored', oversell: 2 });
    // Another branch, online-first: sold out, nothing stored and nothing oversold.
    expect((await upload(B, [redemption(v3!, '2026-11-21T11:06:00Z', { offline: false })])).json.results[0].reason).toBe('soldOut');
    // A batch file is offline whatever its events say: stored, with its oversell.
    const e3 = redemption(v3!, '2026-11-21T11:07:00Z', { offline: false });
    const receipt = await importBatch(sdb, await writeBatch({ mid: 'M1', device: A.id, events: [e3], signingKey: sigKey }));
    expect(receipt.results).toEqual([{ id: e3.id, status: 'stored', oversell: 1 }]);
    expect(await counts('O1')).toEqual({ stock: 1, redeemed: 4, reserved: 0 });
    const s = (await call(B, 'GET', '/v1/settlement?day=2026-11-21')).json;
    expect(s.oversold.filter((o: any) => o.campaign === 'O1')).toEqual([
      { campaign: 'O1', event: e2.id, device: A.id, units: 2 },
      { campaign: 'O1', event: e3.id, device: A.id, units: 1 },
    ]);
    expect(s.stock.find((l: any) => l.campaign === 'O1')).toEqual({ campaign: 'O1', stock: 1, redeemed: 4, reserved: 0 });
    expect((await call(B, 'GET', '/v1/settlement?day=2026-11-22')).json.oversold.filter((o: any) => o.campaign === 'O1')).toEqual([]);
    const other = (await call(Z, 'GET', '/v1/settlement?day=2026-11-21')).json; // M2's own only
    expect(other.oversold).toEqual([]);
    expect(other.stock.map((l: any) => l.campaign)).not.toContain('O1');
  });

  it('a reversal gives its units back to the pool, never to the allotment', async () => {
    const [v1] = await stocked('R1', 5, 1);
    expect((await allot(A, 'R1', 0, 2)).json).toMatchObject({ granted: 2 });
    const e = redemption(v1!, '2026-11-21T12:00:00Z', { allot: 1 });
    await upload(A, [e]);
    expect(await counts('R1')).toEqual({ stock: 5, redeemed: 1, reserved: 1 });
    const rev = await upload(A, [{ id: nextId(), type: 'reversal', reverses: e.id, at: '2026-11-21T12:01:00Z' }]);
    expect(rev.json.results[0].status).toBe('stored');
    expect(await counts('R1')).toEqual({ stock: 5, redeemed: 0, reserved: 1 });
    expect(await allotment(A, 'R1')).toEqual({ granted: 2, consumed: 1 });
    expect((await allot(A, 'R1', 1)).json).toMatchObject({ held: 1, redeemed: 0, reserved: 1 });
    await expectReservedIsHeld('R1');
  });

  it('conflicts take nothing, an overturned winner gives back what it took, and a value voucher counts 1 a redemption', async () => {
    const [two] = await stocked('W1', 10, 1, { kind: 'item', qty: 2 });
    const late = redemption(two!, '2026-11-21T13:00:00Z', { units: 2 });
    await upload(A, [late]);
    expect((await counts('W1'))?.redeemed).toBe(2);
    // B's offline redemption of 1 unit happened earlier: it wins, A's 2 units become a conflict.
    const early = redemption(two!, '2026-11-21T12:30:00Z', { units: 1 });
    expect((await upload(B, [early])).json.results[0].status).toBe('stored');
    expect((await sdb.db.selectFrom('events').select('status').where('id', '=', late.id).executeTakeFirstOrThrow()).status).toBe('conflict');
    expect((await counts('W1'))?.redeemed).toBe(1);
    // Online-first on a used-up voucher: a conflict, nothing taken.
    const [one] = await stocked('W1', 10, 1);
    await upload(A, [redemption(one!, '2026-11-21T13:10:00Z')]);
    const lost = await upload(B, [redemption(one!, '2026-11-21T13:11:00Z', { offline: false })]);
    expect(lost.json.results[0].status).toBe('conflict');
    expect((await counts('W1'))?.redeemed).toBe(2);
    const [val] = await stocked('W1', 10, 1, { kind: 'value', val: 5000, cur: 'CNY' });
    await upload(A, [redemption(val!, '2026-11-21T13:20:00Z', { units: null, amount: 1200, cur: 'CNY' }), redemption(val!, '2026-11-21T13:21:00Z', { units: null, amount: 800, cur: 'CNY' })]);
    expect((await counts('W1'))?.redeemed).toBe(4);
  });

  it('campaign set keeps the stock rows: past redemptions counted, a platform-wide campaign per merchant, mode in the change', async () => {
    const [v1] = await stocked('L1', 1, 1); // set once with a stock, then redeemed
    await setCampaign(sdb, { id: 'L1', mid: 'M1' }); // no stock any more
    await upload(A, [redemption(v1!, '2026-11-21T14:00:00Z')]);
    expect(await counts('L1')).toEqual({ stock: null, redeemed: 1, reserved: 0 });
    const before = await voucher({ mid: 'M1', cmp: 'L2' });
    await upload(A, [redemption(before, '2026-11-21T14:01:00Z')]); // L2 unknown yet
    await setCampaign(sdb, { id: 'L2', mid: 'M1', stock: 7, mode: 'strict' });
    expect(await counts('L2')).toEqual({ stock: 7, redeemed: 1, reserved: 0 });
    const change = (await allChanges(B)).filter((c) => c.type === 'campaign' && c.id === 'L2').pop();
    expect(change).toMatchObject({ type: 'campaign', id: 'L2', stock: 7, mode: 'strict' });
    await expect(setCampaign(sdb, { id: 'L3', stock: 1, mode: 'loose' })).rejects.toThrow(/strict or lenient/);
    await setCampaign(sdb, { id: 'L1' });
    expect((await allChanges(B)).filter((c) => c.type === 'campaign' && c.id === 'L1').pop()).not.toHaveProperty('mode');

    await setCampaign(sdb, { id: 'P1', stock: 2 }); // every merchant: 2 each
    expect((await allot(A, 'P1', 0, 2)).json).toMatchObject({ granted: 2, stock: 2 });
    expect((await allot(Z, 'P1', 0, 2)).json).toMatchObject({ granted: 2, stock: 2, reserved: 2 });
    expect(await counts('P1', 'M2')).toEqual({ stock: 2, redeemed: 0, reserved: 2 });
    // A merchant made after the campaign: its count starts with its first redemption (or allotment).
    await createMerchant(sdb, { id: 'M3', name: 'Late', sharePercent: 80 });
    const d3 = await createDevice(sdb, { mid: 'M3', id: 'M3-POS1', url: srv.url, passphrase: 'pw', p2c: 1000 });
    const D3: Dev = { id: d3.deviceId, token: d3.token };
    expect((await call(D3, 'GET', '/v1/settlement?day=2026-11-21')).json.stock).toEqual([{ campaign: 'P1', stock: 2, redeemed: 0, reserved: 0 }]);
    const v3 = await voucher({ mid: 'M3', cmp: 'P1' });
    const r3 = await upload(D3, [redemption(v3, '2026-11-21T14:30:00Z', { mid: 'M3' })]);
    expect(r3.json.results[0].status).toBe('stored');
    expect(await counts('P1', 'M3')).toEqual({ stock: 2, redeemed: 1, reserved: 0 });
    expect((await allot(D3, 'P1', 0, 5)).json).toMatchObject({ granted: 1, stock: 2, redeemed: 1, reserved: 1 });
    expect((await call(D3, 'GET', '/v1/settlement?day=2026-11-21')).json.stock).toEqual([{ campaign: 'P1', stock: 2, redeemed: 1, reserved: 1 }]);
  });

  it('forwarded redemptions carry the voucher campaign and keep allot', async () => {
    const [v1] = await stocked('F1', 5, 1);
    await allot(A, 'F1', 0, 1);
    const e = redemption(v1!, '2026-11-21T15:00:00Z', { allot: 1 });
    await upload(A, [e]);
    const fwd = (await allChanges(B)).find((c) => c.type === 'redemption' && c.event.id === e.id);
    expect(fwd.event).toMatchObject({ id: e.id, cmp: 'F1', allot: 1 });
    const plain = await voucher({ mid: 'M1' });
    const p = redemption(plain, '2026-11-21T15:01:00Z');
    await upload(A, [p]);
    expect((await allChanges(B)).find((c) => c.type === 'redemption' && c.event.id === p.id).event).not.toHaveProperty('cmp');
  });

  it('every response says Sync-Protocol: 2', async () => {
    const answers = [
      await call(null, 'GET', '/v1/health'),
      await call(null, 'GET', '/v1/changes'),
      await call(A, 'GET', '/v1/changes'),
      await call(A, 'GET', '/v1/no-such-call'),
      await call(A, 'POST', '/v1/events', { events: [] }),
      await call(A, 'POST', '/v1/events', 'not json', { 'content-type': 'application/json' }),
      await call(A, 'POST', '/v1/allotments', { campaign: 'G1', consumed: 0 }),
      await call(A, 'POST', '/v1/allotments', {}),
      await call(A, 'GET', '/v1/settlement?day=2026-11-21'),
      await call(A, 'GET', '/v1/own-events'),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 401, 200, 404, 200, 400, 200, 400, 200, 200]);
    for (const a of answers) expect(a.headers.get('sync-protocol')).toBe('2');
  });
});

describe.each(BACKENDS)('campaign stock tables on %s (migration 0006)', (backend) => {
  let s: Awaited<ReturnType<typeof startReferenceServer>> | undefined;
  afterAll(() => stopReferenceServer(s ?? {}));

  it('are keyed by merchant first and refuse counts below 0 and a device consuming more than it was granted', async () => {
    s = await startReferenceServer(backend);
    const { db } = s.sdb;
    await db.insertInto('campaign_counts').values({ mid: 'M1', campaign: 'K', stock: 5, redeemed: 0, reserved: 0 }).execute();
    await db.insertInto('campaign_counts').values({ mid: 'M2', campaign: 'K', stock: 5, redeemed: 0, reserved: 0 }).execute(); // same campaign, other merchant
    await expect(db.insertInto('campaign_counts').values({ mid: 'M1', campaign: 'K', stock: 5, redeemed: 0, reserved: 0 }).execute()).rejects.toThrow();
    await expect(db.updateTable('campaign_counts').set({ reserved: -1 }).where('campaign', '=', 'K').execute()).rejects.toThrow();
    await expect(db.updateTable('campaign_counts').set({ redeemed: -1 }).where('campaign', '=', 'K').execute()).rejects.toThrow();
    await db.insertInto('allotments').values({ mid: 'M1', campaign: 'K', device: 'D', granted: 2, consumed: 2 }).execute();
    await db.insertInto('allotments').values({ mid: 'M2', campaign: 'K', device: 'D', granted: 2, consumed: 0 }).execute();
    await expect(db.updateTable('allotments').set({ consumed: 3 }).where('mid', '=', 'M1').execute()).rejects.toThrow();
    await db.insertInto('oversells').values({ mid: 'M1', event: 'E', campaign: 'K', device: 'D', units: 1, at_ms: 0 }).execute();
    await db.insertInto('oversells').values({ mid: 'M2', event: 'E', campaign: 'K', device: 'D', units: 1, at_ms: 0 }).execute();
    await expect(db.insertInto('oversells').values({ mid: 'M1', event: 'E', campaign: 'K', device: 'D', units: 1, at_ms: 0 }).execute()).rejects.toThrow();
  });
});
