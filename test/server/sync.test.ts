/**
 * The reference server over real HTTP on loopback, on SQLite (always) and on
 * PostgreSQL (a throwaway cluster, when installed): authentication, uploads
 * and their errors, idempotent retries, refusals with a reason, conflicts
 * decided by (at, id), and what a voucher has left (docs/spec/sync-protocol.md).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- HTTP answers are JSON, checked by value in the assertions */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBundle } from '../../server/issuer/bundle';
import type { RunningServer } from '../../server/app';
import { createDevice, mint, revokeDevice } from '../../server/admin';
import type { ServerDb } from '../../server/db';
import { BACKENDS, nextId, serverHelpers, startReferenceServer, stopReferenceServer, type Dev } from './support';

describe.each(BACKENDS)('reference server on %s', (backend) => {
  let tmp: string;
  let sdb: ServerDb;
  let srv: RunningServer;
  let A: Dev, B: Dev, C: Dev, Z: Dev;

  beforeAll(async () => {
    ({ tmp, sdb, srv, A, B, C, Z } = await startReferenceServer(backend));
  });
  afterAll(() => stopReferenceServer({ tmp, sdb, srv }));
  const { call, upload, redemption, voucher, allChanges } = serverHelpers(() => ({ srv, sdb }));

  it('authenticates with Bearer token + X-Device-Id, keeps only the hash, and every answer has Date', async () => {
    for (const [dev, headers] of [
      [null, {}],
      [{ id: A.id, token: 'wrong' }, {}],
      [{ id: 'NO-SUCH', token: A.token }, {}],
      [{ id: B.id, token: A.token }, {}],
      [null, { authorization: `Basic ${A.token}`, 'x-device-id': A.id }],
    ] as const) {
      const r = await call(dev, 'GET', '/v1/changes', undefined, headers as Record<string, string>);
      expect(r.status).toBe(401);
      expect(r.json.error).toBe('unauthorized');
      expect(r.headers.get('date')).toMatch(/GMT$/);
    }
    const ok = await call(A, 'GET', '/v1/changes');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('date')).toMatch(/GMT$/);
    expect(Math.abs(Date.parse(ok.headers.get('date')!) - Date.now())).toBeLessThan(5000);
    const row = await sdb.db.selectFrom('devices').selectAll().where('id', '=', A.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(createHash('sha256').update(A.token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(A.token);

    const d = await createDevice(sdb, { mid: 'M1', id: 'TMP-POS', url: srv.url, passphrase: 'pw', p2c: 1000 });
    const tmpDev = { id: 'TMP-POS', token: d.token };
    expect((await call(tmpDev, 'GET', '/v1/changes')).status).toBe(200);
    await revokeDevice(sdb, 'TMP-POS');
    expect((await call(tmpDev, 'GET', '/v1/changes')).status).toBe(401);
  });

  it('the device bundle carries server { url, deviceId, token }, merchant keys and the issuer key', async () => {
    const d = await createDevice(sdb, { mid: 'M1', branch: 'B02', id: 'B02-POS9', url: srv.url + '/', passphrase: 'sesame', p2c: 1000 });
    const b = await openBundle(d.sealed, 'sesame');
    expect(b.server).toEqual({ url: srv.url, deviceId: 'B02-POS9', token: d.token });
    expect(b.merchant).toEqual({ id: 'M1', name: 'Lotus' });
    expect(b.branch).toEqual({ id: 'B02', name: 'Futian' });
    expect(b.encryptionKeys[0]!.d).toBeTruthy();
    expect(b.signingKeys?.[0]?.d).toBeTruthy();
    expect(b.issuers[0]!.iss).toBe('gb.test');
    expect(b.issuers[0]!.keys[0]!.d).toBeUndefined();
  });

  it('403 for another merchant, 413 above 500 events, 400 for a bad body or cursor', async () => {
    expect((await call(A, 'GET', '/v1/settlement?day=2026-11-21&mid=M2')).status).toBe(403);
    expect((await call(A, 'GET', '/v1/changes?mid=M2')).json.error).toBe('wrong_merchant');
    expect((await call(A, 'POST', '/v1/events', { events: [] }, { 'x-merchant-id': 'M2' })).status).toBe(403);
    const many = Array.from({ length: 501 }, () => redemption('NOPE', '2026-11-21T09:00:00Z'));
    const big = await upload(A, many);
    expect(big.status).toBe(413);
    expect(big.json).toMatchObject({ error: 'too_many_events', max: 500 });
    const fine = await upload(A, many.slice(0, 500));
    expect(fine.status).toBe(200);
    expect(fine.json.results).toHaveLength(500);
    expect(fine.json.results.every((r: any) => r.status === 'rejected')).toBe(true);
    expect((await call(A, 'POST', '/v1/events', { nope: 1 })).status).toBe(400);
    expect((await call(A, 'POST', '/v1/events', '{"events": [')).status).toBe(400);
    expect((await call(A, 'GET', '/v1/changes?since=garbage')).json.error).toBe('bad_cursor');
    expect((await call(A, 'GET', '/v1/changes?limit=0')).status).toBe(400);
    expect((await call(A, 'GET', '/v1/settlement?day=2026-02-30')).status).toBe(400);
    expect((await call(A, 'GET', '/v1/settlement')).status).toBe(400);
  });

  it('stores each id once: a retry answers duplicate with the first answer, results in order', async () => {
    const j1 = await voucher();
    const j2 = await voucher();
    const evs = [redemption(j1, '2026-11-21T09:00:00Z'), redemption(j2, '2026-11-21T09:01:00Z'), redemption(j2, '2026-11-21T09:02:00Z'), redemption('UNKNOWN', '2026-11-21T09:03:00Z')];
    const first = await upload(A, evs);
    expect(first.status).toBe(200);
    expect(first.json.results.map((r: any) => [r.id, r.status])).toEqual([
      [evs[0]!.id, 'stored'],
      [evs[1]!.id, 'stored'],
      [evs[2]!.id, 'conflict'],
      [evs[3]!.id, 'rejected'],
    ]);
    expect(first.json.results[2].first).toEqual({ id: evs[1]!.id, branch: 'B01', device: 'B01-POS1', at: '2026-11-21T09:01:00.000Z' });
    const before = await sdb.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const again = await upload(A, evs);
    expect(again.json.results).toEqual(
      first.json.results.map((r: any) => (r.status === 'rejected' ? r : { ...r, status: 'duplicate', was: r.status })),
    );
    const third = await upload(A, evs);
    expect(third.json).toEqual(again.json);
    const after = await sdb.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    // Another merchant's device sending the same id learns nothing about it: ids are per merchant, so it is
    // judged as its own event (here: a voucher that is not its merchant's), not as a duplicate of M1's.
    const z = (await upload(Z, [{ ...evs[0]!, mid: 'M2' }])).json.results[0];
    expect(z).toMatchObject({ id: evs[0]!.id, status: 'rejected' });
    expect(z.reason).toMatch(/voucher of another merchant/);
    // The same id twice in one request: the second is a duplicate of the first.
    const e = redemption(await voucher(), '2026-11-21T09:05:00Z');
    const twice = await upload(A, [e, e]);
    expect(twice.json.results.map((r: any) => r.status)).toEqual(['stored', 'duplicate']);
  });

  it('rejects what the platform never issued, other merchants, and malformed events, with a reason', async () => {
    const other = (await mint(sdb, { mid: 'M2' }))[0]!.jti;
    const mine = await voucher();
    const r = await upload(A, [
      redemption('NEVER', '2026-11-21T09:00:00Z'),
      redemption(other, '2026-11-21T09:00:00Z', { mid: null }),
      redemption(mine, '2026-11-21T09:00:00Z', { mid: 'M2' }),
      { id: nextId(), type: 'redemption', iss: 'gb.test' },
      { id: nextId(), type: 'teleport' },
      { id: nextId(), type: 'reversal', reverses: 'NO-SUCH-EVENT', at: '2026-11-21T09:00:00Z' },
    ]);
    const res = r.json.results;
    expect(res.every((x: any) => x.status === 'rejected' && typeof x.reason === 'string')).toBe(true);
    expect(res[0].reason).toMatch(/unknown voucher/);
    expect(res[1].reason).toMatch(/another merchant/);
    expect(res[2].reason).toMatch(/another merchant/);
    expect(res[3].reason).toMatch(/invalid event/);
    expect(res[5].reason).toMatch(/unknown event/);
    // Nothing of it was stored: the voucher is still fully available.
    expect((await upload(A, [redemption(mine, '2026-11-21T09:10:00Z')])).json.results[0].status).toBe('stored');
  });

  it('decides conflicts by earlier at, then smaller id, and tells both devices with the same first', async () => {
    const jti = await voucher();
    const atA = '2026-11-21T10:05:00.000Z';
    const atB = '2026-11-21T10:00:00.000Z';
    const evA = redemption(jti, atA, { branch: 'B01', device: A.id });
    const evB = redemption(jti, atB, { branch: 'B02', device: B.id });
    // A arrives first but happened later: B, arriving second, is first.
    expect((await upload(A, [evA])).json.results[0].status).toBe('stored');
    expect((await upload(B, [evB])).json.results[0].status).toBe('stored');
    const conflictA = (await allChanges(A)).filter((c) => c.type === 'conflict' && c.jti === jti);
    const conflictB = (await allChanges(B)).filter((c) => c.type === 'conflict' && c.jti === jti);
    expect(conflictA).toHaveLength(1);
    expect(conflictB).toEqual(conflictA);
    expect(conflictA[0]).toMatchObject({ event: evA.id, first: { id: evB.id, branch: 'B02', device: B.id, at: atB } });
    // The third device hears of no conflict (it was not involved) but sees both redemptions.
    const cChanges = await allChanges(C);
    expect(cChanges.filter((c) => c.type === 'conflict' && c.jti === jti)).toEqual([]);
    expect(cChanges.filter((c) => c.type === 'redemption' && c.event.jti === jti).map((c) => c.event.id).sort()).toEqual([evA.id, evB.id].sort());
    // A third attempt anywhere is a conflict against the same first.
    const evC = redemption(jti, '2026-11-21T11:00:00Z', { device: C.id, branch: 'B01' });
    const third = (await upload(C, [evC])).json.results[0];
    expect(third).toEqual({ id: evC.id, status: 'conflict', first: { id: evB.id, branch: 'B02', device: B.id, at: atB } });

    // Asked online (offline: false) when nothing is left: it loses even with an earlier `at`
    // (a clock behind), because that counter refuses and hands nothing over.
    const j3 = await voucher();
    const offlineA = redemption(j3, '2026-11-21T10:05:00.000Z', { offline: true });
    const onlineB = redemption(j3, '2026-11-21T10:04:00.000Z', { offline: false, device: B.id, branch: 'B02' });
    expect((await upload(A, [offlineA])).json.results[0].status).toBe('stored');
    expect((await upload(B, [onlineB])).json.results[0]).toEqual({ id: onlineB.id, status: 'conflict', first: { id: offlineA.id, branch: 'B01', device: A.id, at: offlineA.at } });
    expect((await allChanges(A)).filter((c) => c.type === 'conflict' && c.jti === j3)).toEqual([expect.objectContaining({ event: onlineB.id, first: expect.objectContaining({ id: offlineA.id }) })]);

    // Same `at`: the smaller id is first, whatever the arrival order.
    const j2 = await voucher();
    const at = '2026-11-21T12:00:00.000Z';
    const small = { ...redemption(j2, at), id: '01JZ0000000000000000000001' };
    const big = { ...redemption(j2, at), id: '01JZ0000000000000000000002' };
    expect((await upload(B, [big])).json.results[0].status).toBe('stored');
    expect((await upload(A, [small])).json.results[0].status).toBe('stored');
    const c2 = (await allChanges(B)).filter((c) => c.type === 'conflict' && c.jti === j2);
    expect(c2).toEqual([expect.objectContaining({ event: big.id, first: expect.objectContaining({ id: small.id }) })]);
  });

  it('counts units, value amounts and the use cap; a reversal frees what it undid', async () => {
    const multi = await voucher({ mid: 'M1', kind: 'item', qty: 3 });
    const r1 = await upload(A, [redemption(multi, '2026-11-21T09:00:00Z', { units: 2 }), redemption(multi, '2026-11-21T09:01:00Z', { units: 2 })]);
    expect(r1.json.results.map((r: any) => r.status)).toEqual(['stored', 'conflict']);
    expect((await upload(A, [redemption(multi, '2026-11-21T09:02:00Z', { units: 1 })])).json.results[0].status).toBe('stored');

    const value = await voucher({ mid: 'M1', kind: 'value', val: 10_000, cur: 'CNY' });
    const v1 = redemption(value, '2026-11-21T09:00:00Z', { units: null, amount: 6000, cur: 'CNY' });
    const v2 = redemption(value, '2026-11-21T09:05:00Z', { units: null, amount: 5000, cur: 'CNY' });
    const noAmount = redemption(value, '2026-11-21T09:06:00Z', { units: null, amount: null });
    const rv = await upload(A, [v1, v2, noAmount]);
    expect(rv.json.results.map((r: any) => r.status)).toEqual(['stored', 'conflict', 'rejected']);
    const rev = { id: nextId(), type: 'reversal', reverses: v1.id, at: '2026-11-21T09:10:00Z', reason: 'changed mind', by: 'owner' };
    const v3 = redemption(value, '2026-11-21T09:11:00Z', { units: null, amount: 10_000, cur: 'CNY' });
    expect((await upload(B, [rev, v3])).json.results.map((r: any) => r.status)).toEqual(['stored', 'stored']);
    expect((await upload(B, [{ ...rev, id: nextId() }])).json.results[0].reason).toMatch(/already reversed/);
    const revChange = (await allChanges(A)).find((c) => c.type === 'reversal' && c.event.id === rev.id);
    expect(revChange.event).toMatchObject({ reverses: v1.id, mid: 'M1', device: B.id });

    const capped = await voucher({ mid: 'M1', kind: 'item', qty: 10, use: 2 });
    const rc = await upload(A, [1, 2, 3].map((i) => redemption(capped, `2026-11-21T09:0${i}:00Z`)));
    expect(rc.json.results.map((r: any) => r.status)).toEqual(['stored', 'stored', 'conflict']);
  });

});
