/**
 * The reference server over real HTTP on loopback, the same suite on SQLite
 * (always) and on PostgreSQL (a throwaway cluster, when installed): every
 * call of docs/spec/sync-protocol.md and its errors, idempotent retries, conflicts
 * decided by (at, id), changes paging, settlement sums and share rounding,
 * busy answers with Retry-After, and batch files (import twice, tampered,
 * unsigned, receipt).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- HTTP answers are JSON, checked by value in the assertions */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactDecrypt, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { openBundle } from '../../server/issuer/bundle';
import { startServer, type RunningServer } from '../../server/app';
import {
  createBranch,
  createDevice,
  createMerchant,
  initPlatform,
  mint,
  revoke,
  revokeDevice,
  rotateKey,
  setCampaign,
} from '../../server/admin';
import { BatchRefused, importBatch, writeBatch } from '../../server/batch';
import { openServerDb, type ServerDb } from '../../server/db';
import { shareOf } from '../../server/settlement';
import { findPostgres, startPgCluster, type PgCluster } from './pg';

const found = findPostgres();
if ('missing' in found) console.log(`server tests on PostgreSQL SKIPPED: ${found.missing}`);
const BACKENDS = ['sqlite', ...('bin' in found ? ['postgres'] : [])] as const;

let cluster: PgCluster | undefined;
let clusterStarting: Promise<PgCluster> | undefined;
async function pgCluster(): Promise<PgCluster> {
  if ('missing' in found) throw new Error(found.missing);
  clusterStarting ??= startPgCluster(found.bin).then((c) => (cluster = c));
  return clusterStarting;
}
afterAll(() => cluster?.stop());

interface Dev {
  id: string;
  token: string;
}

let ulidCounter = 0;
/** Increasing ids (ULID-shaped enough: the server only compares them). */
const nextId = () => `01JD${String(++ulidCounter).padStart(22, '0')}`;

describe.each(BACKENDS)('reference server on %s', (backend) => {
  let tmp: string;
  let sdb: ServerDb;
  let srv: RunningServer;
  let A: Dev, B: Dev, C: Dev, Z: Dev;
  let sigKey: JWK;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'vd-server-'));
    const database = backend === 'postgres' ? await (await pgCluster()).createDatabase(`t_${Date.now()}_${Math.floor(Math.random() * 1e6)}`) : join(tmp, 'server.sqlite');
    sdb = await openServerDb({ database });
    await initPlatform(sdb, { iss: 'gb.test', name: 'Test GB' });
    await createMerchant(sdb, { id: 'M1', name: 'Lotus', sharePercent: 85 });
    await createMerchant(sdb, { id: 'M2', name: 'Other', sharePercent: 90 });
    await createBranch(sdb, { mid: 'M1', id: 'B01', name: 'Nanshan' });
    await createBranch(sdb, { mid: 'M1', id: 'B02', name: 'Futian' });
    srv = await startServer({ sdb, port: 0 });
    const dev = async (mid: string, id: string, branch?: string): Promise<Dev & { sealed: string }> => {
      const d = await createDevice(sdb, { mid, id, url: srv.url, passphrase: 'pw', p2c: 1000, ...(branch ? { branch } : {}) });
      return { id, token: d.token, sealed: d.sealed };
    };
    const a = await dev('M1', 'B01-POS1', 'B01');
    A = a;
    B = await dev('M1', 'B02-POS1', 'B02');
    C = await dev('M1', 'B01-POS2', 'B01');
    Z = await dev('M2', 'Z-POS1');
    const bundle = await openBundle(a.sealed, 'pw');
    sigKey = bundle.signingKeys![0]!;
  });

  afterAll(async () => {
    await srv?.close();
    await sdb?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function call(dev: Dev | null, method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(srv.url + path, {
      method,
      headers: {
        ...(dev ? { authorization: `Bearer ${dev.token}`, 'x-device-id': dev.id } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as any) : null };
  }

  const upload = (dev: Dev, events: unknown[]) => call(dev, 'POST', '/v1/events', { events });
  const redemption = (jti: string, at: string, extra: Record<string, unknown> = {}) => ({
    id: nextId(),
    type: 'redemption',
    iss: 'gb.test',
    jti,
    mid: 'M1',
    at,
    units: 1,
    amount: null,
    cur: null,
    cashier: 'amy',
    member: null,
    offline: true,
    ...extra,
  });
  const voucher = async (opts: Parameters<typeof mint>[1] = { mid: 'M1' }) => (await mint(sdb, opts))[0]!.jti;

  async function allChanges(dev: Dev, limit = 500): Promise<any[]> {
    const out: any[] = [];
    let since = '';
    for (let i = 0; i < 100; i++) {
      const r = await call(dev, 'GET', `/v1/changes?limit=${limit}${since ? `&since=${since}` : ''}`);
      expect(r.status).toBe(200);
      out.push(...r.json.changes);
      since = r.json.cursor;
      if (!r.json.more) return out;
    }
    throw new Error('changes never ended');
  }

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
    // Another merchant's device sending the same id learns nothing about it.
    expect((await upload(Z, [{ ...evs[0]!, mid: 'M2' }])).json.results[0]).toEqual({ id: evs[0]!.id, status: 'rejected', reason: 'this event id is taken by another merchant' });
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

  it('changes: other devices only, revocations, issuer keys, campaigns, paged with more and an increasing cursor', async () => {
    const jti = await voucher();
    const ev = redemption(jti, '2026-11-21T13:00:00Z');
    await upload(A, [ev]);
    await revoke(sdb, 'gb.test', jti, 'refunded');
    await setCampaign(sdb, { id: 'CNY-2027', mid: 'M1', stock: 200, from: '2027-01-20', to: '2027-02-10', hours: '10:00-22:00' });
    const rotated = await rotateKey(sdb, { kid: `k-${backend}-2` });

    const a = await allChanges(A);
    const b = await allChanges(B);
    const z = await allChanges(Z);
    expect(a.some((c) => c.type === 'redemption' && c.event.id === ev.id)).toBe(false);
    expect(b.find((c) => c.type === 'redemption' && c.event.id === ev.id).event).toMatchObject({ id: ev.id, jti, mid: 'M1', branch: 'B01', device: A.id, cashier: 'amy' });
    for (const list of [a, b]) {
      expect(list).toContainEqual({ type: 'revocation', iss: 'gb.test', jti, at: expect.any(String), reason: 'refunded' });
      expect(list).toContainEqual({ type: 'campaign', id: 'CNY-2027', stock: 200, from: '2027-01-20', to: '2027-02-10', hours: '10:00-22:00' });
    }
    const keys = z.filter((c) => c.type === 'issuer-key');
    expect(keys.map((k) => k.status)).toEqual(['active', 'rotated', 'active']);
    expect(keys[2].key.kid).toBe(rotated.kid);
    expect(keys[1].key.kid).toBe(rotated.previous);
    expect(keys.every((k) => k.key.d === undefined && k.iss === 'gb.test')).toBe(true);
    // Another merchant sees none of M1's events, revocations or campaigns.
    expect(z.some((c) => ['redemption', 'reversal', 'conflict', 'revocation', 'campaign'].includes(c.type))).toBe(false);

    // Paging: small pages give the same list, `more` until the end, cursors increase.
    const pages: any[] = [];
    let since = '';
    let lastCursor = '';
    for (;;) {
      const r = await call(B, 'GET', `/v1/changes?limit=3${since ? `&since=${since}` : ''}`);
      expect(r.json.changes.length).toBeLessThanOrEqual(3);
      expect(typeof r.json.serverTime).toBe('string');
      if (r.json.more) expect(r.json.changes).toHaveLength(3);
      expect(r.json.cursor >= lastCursor).toBe(true);
      if (r.json.changes.length > 0) expect(r.json.cursor > lastCursor).toBe(true);
      pages.push(...r.json.changes);
      lastCursor = since = r.json.cursor;
      if (!r.json.more) break;
    }
    expect(pages).toEqual(b);
    const end = await call(B, 'GET', `/v1/changes?since=${since}`);
    expect(end.json).toMatchObject({ cursor: since, more: false, changes: [] });
    // B's own uploads never come back to it, but its cursor moves past them.
    await upload(B, [redemption(await voucher(), '2026-11-21T13:30:00Z'), redemption(await voucher(), '2026-11-21T13:31:00Z')]);
    const past = await call(B, 'GET', `/v1/changes?since=${since}`);
    expect(past.json.changes).toEqual([]);
    expect(past.json.cursor > since).toBe(true);
    expect((await call(B, 'GET', `/v1/changes?since=${past.json.cursor}`)).json).toMatchObject({ cursor: past.json.cursor, changes: [] });
    expect((await allChanges(A)).filter((c) => c.type === 'redemption' && c.event.at?.startsWith('2026-11-21T13:3'))).toHaveLength(2);
    // Vouchers minted after the rotation are signed with the new key.
    const m = await mint(sdb, { mid: 'M1' });
    const merchant = await sdb.db.selectFrom('merchants').selectAll().where('id', '=', 'M1').executeTakeFirstOrThrow();
    const { plaintext } = await compactDecrypt(m[0]!.text.slice(5), await importJWK(JSON.parse(merchant.enc_private_jwk) as JWK, 'ECDH-ES'));
    expect(decodeProtectedHeader(new TextDecoder().decode(plaintext)).kid).toBe(rotated.kid);
  });

  it('settlement per day: sums, reversals, conflicts, share rounding and the merchant UTC offset', async () => {
    await createMerchant(sdb, { id: 'M3', name: 'Share', sharePercent: 12.5, utcOffset: '+08:00' });
    const d = await createDevice(sdb, { mid: 'M3', id: 'M3-POS', url: srv.url, passphrase: 'pw', p2c: 1000 });
    const dev = { id: 'M3-POS', token: d.token };
    const item = (await mint(sdb, { mid: 'M3', kind: 'item', qty: 5, unitPrice: 1004 }))[0]!.jti;
    const value = (await mint(sdb, { mid: 'M3', kind: 'value', val: 50_000, cur: 'CNY' }))[0]!.jti;
    const single = (await mint(sdb, { mid: 'M3', kind: 'item', qty: 1, unitPrice: 999 }))[0]!.jti;
    const r = (jti: string, at: string, x: Record<string, unknown> = {}) => redemption(jti, at, { mid: 'M3', ...x });
    // 2026-11-21 in +08:00 runs from 2026-11-20T16:00Z to 2026-11-21T16:00Z.
    const e1 = r(item, '2026-11-20T16:30:00Z', { units: 2 }); // day 21 (00:30 local)
    const e2 = r(value, '2026-11-21T15:59:59.999Z', { units: null, amount: 3333 }); // day 21 (23:59 local)
    const e3 = r(item, '2026-11-21T16:00:00Z', { units: 1 }); // day 22
    const e4 = r(single, '2026-11-21T08:00:00Z'); // day 21
    const e5 = r(single, '2026-11-21T09:00:00Z'); // conflict, day 21
    const rev = { id: nextId(), type: 'reversal', reverses: e1.id, at: '2026-11-21T10:00:00Z' }; // day 21, gives back 2 × 1004
    const up = await upload(dev, [e1, e2, e3, e4, e5, rev]);
    expect(up.json.results.map((x: any) => x.status)).toEqual(['stored', 'stored', 'stored', 'stored', 'conflict', 'stored']);
    const s = (await call(dev, 'GET', '/v1/settlement?day=2026-11-21')).json;
    const gross = 2 * 1004 + 3333 + 999 - 2 * 1004; // 4332
    expect(s).toEqual({
      day: '2026-11-21',
      redemptions: 3,
      reversals: 1,
      units: 2 + 1 - 2,
      gross,
      cur: 'CNY',
      share: 542, // 4332 × 12.5 % = 541.5 → 542 (half away from zero)
      conflicts: 1,
      sharePercent: 12.5,
      from: '2026-11-20T16:00:00.000Z',
      to: '2026-11-21T16:00:00.000Z',
    });
    const next = (await call(dev, 'GET', '/v1/settlement?day=2026-11-22')).json;
    expect(next).toMatchObject({ redemptions: 1, units: 1, gross: 1004, share: 126 }); // 125.5 → 126
    const empty = (await call(dev, 'GET', '/v1/settlement?day=2030-01-01')).json;
    expect(empty).toMatchObject({ redemptions: 0, reversals: 0, units: 0, gross: 0, share: 0, conflicts: 0 });
    expect([shareOf(1566720 / 0.85, 8500), shareOf(1, 5000), shareOf(3, 3333), shareOf(-3, 5000)]).toEqual([1566720, 1, 1, -2]);
  });

  it('answers 503 and 429 with Retry-After when busy (configurable limits)', async () => {
    const busy = await startServer({ sdb, port: 0, maxInFlight: 0, retryAfter: 7 });
    const limited = await startServer({ sdb, port: 0, deviceRate: 1, retryAfter: 3 });
    const busyFile = join(tmp, 'busy');
    const switchable = await startServer({ sdb, port: 0, busyFile });
    try {
      const r = await fetch(`${busy.url}/v1/changes`, { headers: { authorization: `Bearer ${A.token}`, 'x-device-id': A.id } });
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('7');
      expect(r.headers.get('date')).toBeTruthy();
      expect(((await r.json()) as any).error).toBe('busy');
      const h = { authorization: `Bearer ${A.token}`, 'x-device-id': A.id };
      expect((await fetch(`${limited.url}/v1/changes`, { headers: h })).status).toBe(200);
      const second = await fetch(`${limited.url}/v1/changes`, { headers: h });
      expect(second.status).toBe(429);
      expect(second.headers.get('retry-after')).toBe('3');
      expect((await fetch(`${switchable.url}/v1/changes`, { headers: h })).status).toBe(200);
      writeFileSync(busyFile, '');
      expect((await fetch(`${switchable.url}/v1/changes`, { headers: h })).status).toBe(503);
      rmSync(busyFile);
      expect((await fetch(`${switchable.url}/v1/changes`, { headers: h })).status).toBe(200);
    } finally {
      await Promise.all([busy.close(), limited.close(), switchable.close()]);
    }
  });

  it('eight devices racing for one unit: exactly one stored, the rest conflicts with the same first', async () => {
    const jti = await voucher();
    const devs: Dev[] = [];
    for (let i = 0; i < 8; i++) {
      const d = await createDevice(sdb, { mid: 'M1', id: `RACE-${i}`, url: srv.url, passphrase: 'pw', p2c: 1000 });
      devs.push({ id: `RACE-${i}`, token: d.token });
    }
    const evs = devs.map((d, i) => redemption(jti, `2026-11-21T14:00:0${i}Z`, { device: d.id }));
    const answers = await Promise.all(devs.map((d, i) => upload(d, [evs[i]])));
    const stored = await sdb.db.selectFrom('events').select(['id', 'status']).where('vkey', '=', JSON.stringify(['gb.test', jti])).execute();
    expect(stored.filter((s) => s.status === 'stored')).toEqual([{ id: evs[0]!.id, status: 'stored' }]);
    expect(stored.filter((s) => s.status === 'conflict')).toHaveLength(7);
    expect(answers.every((a) => a.status === 200)).toBe(true);
  });

  it('batch file: signed import, import twice stores nothing new, receipt, tampered and unsigned files refused', async () => {
    const j1 = await voucher();
    const j2 = await voucher();
    const events = [redemption(j1, '2026-11-21T15:00:00Z'), redemption(j2, '2026-11-21T15:01:00Z'), redemption(j2, '2026-11-21T15:02:00Z'), redemption('GHOST', '2026-11-21T15:03:00Z')];
    const file = await writeBatch({ mid: 'M1', device: A.id, events, signingKey: sigKey });
    const receipt = await importBatch(sdb, file);
    expect(receipt).toMatchObject({ format: 'gb-events-receipt', v: 1, mid: 'M1', device: A.id, counts: { stored: 2, duplicate: 0, conflict: 1, rejected: 1 } });
    expect(receipt.sha256).toBe(createHash('sha256').update(file).digest('hex'));
    expect(receipt.results.map((r) => [r.id, r.status])).toEqual([
      [events[0]!.id, 'stored'],
      [events[1]!.id, 'stored'],
      [events[2]!.id, 'conflict'],
      [events[3]!.id, 'rejected'],
    ]);
    const count = async () => Number((await sdb.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const n = await count();
    const again = await importBatch(sdb, file);
    expect(again.counts).toEqual({ stored: 0, duplicate: 3, conflict: 0, rejected: 1 });
    expect(await count()).toBe(n);
    // Other devices hear of the imported events like of an upload.
    expect((await allChanges(B)).some((c) => c.type === 'redemption' && c.event.id === events[0]!.id)).toBe(true);

    // Edited: one character of the payload changed, and a line dropped with a fixed header.
    const [h, p, s] = file.trim().split('.');
    const text = Buffer.from(p!, 'base64url').toString().replace('"units":1', '"units":9');
    const tampered = `${h}.${Buffer.from(text).toString('base64url')}.${s}`;
    await expect(importBatch(sdb, tampered)).rejects.toThrow(/signature does not verify/);
    await expect(importBatch(sdb, text)).rejects.toThrow(/must be signed/);
    const otherKey = (await openBundle((await createDevice(sdb, { mid: 'M2', id: 'Z-POS2', url: srv.url, passphrase: 'pw', p2c: 1000 })).sealed, 'pw')).signingKeys![0]!;
    await expect(importBatch(sdb, await writeBatch({ mid: 'M1', device: A.id, events, signingKey: { ...otherKey, kid: sigKey.kid! } }))).rejects.toThrow(BatchRefused);
    await expect(importBatch(sdb, await writeBatch({ mid: 'M1', device: Z.id, events, signingKey: sigKey }))).rejects.toThrow(/not a device of M1/);
    expect(await count()).toBe(n);

    // A merchant without a signing key: plain JSON lines, the count guards against cut files.
    await createMerchant(sdb, { id: 'M4', name: 'Plain', sharePercent: 80, signing: false });
    await createDevice(sdb, { mid: 'M4', id: 'M4-POS', url: srv.url, passphrase: 'pw', p2c: 1000 });
    const j4 = (await mint(sdb, { mid: 'M4' }))[0]!.jti;
    const plain = await writeBatch({ mid: 'M4', device: 'M4-POS', events: [redemption(j4, '2026-11-21T15:00:00Z', { mid: 'M4' })] });
    const cut = plain.split('\n').slice(0, 1).join('\n');
    await expect(importBatch(sdb, cut)).rejects.toThrow(/header says 1 events but the file has 0/);
    expect((await importBatch(sdb, plain)).counts.stored).toBe(1);
  });
});

describe('reference server on sqlite, locked by another process', () => {
  it('answers 503 with Retry-After while another writer holds the database, then stores on retry', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'vd-server-lock-'));
    const file = join(tmp, 'server.sqlite');
    const sdb = await openServerDb({ database: file, busyTimeoutMs: 100 });
    const srv = await startServer({ sdb, port: 0, retryAfter: 2 });
    const other = new Database(file);
    try {
      await initPlatform(sdb, { iss: 'gb.lock' });
      await createMerchant(sdb, { id: 'ML', name: 'Lock', sharePercent: 50 });
      const d = await createDevice(sdb, { mid: 'ML', id: 'L-POS', url: srv.url, passphrase: 'pw', p2c: 1000 });
      const jti = (await mint(sdb, { mid: 'ML' }))[0]!.jti;
      const send = () =>
        fetch(`${srv.url}/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${d.token}`, 'x-device-id': 'L-POS', 'content-type': 'application/json' },
          body: JSON.stringify({ events: [{ id: '01JDLOCK000000000000000001', type: 'redemption', iss: 'gb.lock', jti, at: '2026-11-21T09:00:00Z', units: 1 }] }),
        });
      other.exec('BEGIN IMMEDIATE');
      const busy = await send();
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('2');
      other.exec('COMMIT');
      // A client that gives up while the server waits for the lock does not leak a busy slot.
      const one = await startServer({ sdb, port: 0, maxInFlight: 1 });
      try {
        other.exec('BEGIN IMMEDIATE');
        const ac = new AbortController();
        const gaveUp = fetch(`${one.url}/v1/changes`, { headers: { authorization: `Bearer ${d.token}`, 'x-device-id': 'L-POS' }, signal: ac.signal }).catch((e: Error) => e);
        const heavy = fetch(`${one.url}/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${d.token}`, 'x-device-id': 'L-POS', 'content-type': 'application/json' },
          body: JSON.stringify({ events: [{ id: '01JDLOCK000000000000000009', type: 'redemption', iss: 'gb.lock', jti, at: '2026-11-21T09:00:00Z', units: 1 }] }),
          signal: ac.signal,
        }).catch((e: Error) => e);
        await new Promise((r) => setTimeout(r, 30));
        ac.abort();
        await Promise.all([gaveUp, heavy]);
        await new Promise((r) => setTimeout(r, 300));
        other.exec('COMMIT');
        for (let i = 0; i < 3; i++) {
          expect((await fetch(`${one.url}/v1/changes`, { headers: { authorization: `Bearer ${d.token}`, 'x-device-id': 'L-POS' } })).status).toBe(200);
        }
      } finally {
        await one.close();
      }
      const ok = await send();
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { results: unknown[] }).results).toEqual([{ id: '01JDLOCK000000000000000001', status: 'stored' }]);
    } finally {
      other.close();
      await srv.close();
      await sdb.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('admin commands refuse mistakes with a clear message and change nothing', () => {
  it('init twice, bad share, unknown branch, unknown voucher, bad offset, duplicate ids', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'vd-server-admin-'));
    const sdb = await openServerDb({ dataDir: tmp });
    try {
      await expect(createMerchant(sdb, { id: 'M', name: 'M', sharePercent: 85 })).resolves.toBeTruthy();
      await expect(createDevice(sdb, { mid: 'M', id: 'D', url: 'http://x', passphrase: 'p', p2c: 1000 })).rejects.toThrow(/not initialised/);
      await initPlatform(sdb, { iss: 'gb.a' });
      await expect(initPlatform(sdb, { iss: 'gb.b' })).rejects.toThrow(/already initialised \(gb.a\)/);
      await expect(createMerchant(sdb, { id: 'M2', name: 'M2', sharePercent: 120 })).rejects.toThrow(/--share must be a percentage/);
      await expect(createMerchant(sdb, { id: 'M2', name: 'M2', sharePercent: 85.555 })).rejects.toThrow(/two decimals/);
      await expect(createMerchant(sdb, { id: 'M2', name: 'M2', sharePercent: 85, utcOffset: '8' })).rejects.toThrow(/--utc-offset/);
      await expect(createMerchant(sdb, { id: 'M', name: 'again', sharePercent: 85 })).rejects.toThrow(/exists already/);
      await expect(createMerchant(sdb, { id: 'bad id!', name: 'x', sharePercent: 85 })).rejects.toThrow(/merchant id/);
      await expect(createDevice(sdb, { mid: 'M', id: 'D', branch: 'B9', url: 'http://x', passphrase: 'p', p2c: 1000 })).rejects.toThrow(/no branch B9 of M/);
      await expect(createDevice(sdb, { mid: 'NOPE', id: 'D', url: 'http://x', passphrase: 'p', p2c: 1000 })).rejects.toThrow(/no merchant NOPE/);
      await expect(createDevice(sdb, { mid: 'M', id: 'D', url: 'ftp://x', passphrase: 'p', p2c: 1000 })).rejects.toThrow(/--url/);
      await expect(revoke(sdb, 'gb.a', 'NOPE', 'x')).rejects.toThrow(/no voucher gb.a NOPE/);
      const jti = (await mint(sdb, { mid: 'M', jti: 'J1' }))[0]!.jti;
      await expect(mint(sdb, { mid: 'M', jti: 'J1' })).rejects.toThrow(/J1 exists already/);
      await revoke(sdb, 'gb.a', jti, 'refunded');
      await expect(revoke(sdb, 'gb.a', jti, 'again')).rejects.toThrow(/revoked already/);
      await expect(setCampaign(sdb, { id: 'C', hours: '10-22' })).rejects.toThrow(/--hours/);
      expect(await sdb.db.selectFrom('merchants').select('id').execute()).toEqual([{ id: 'M' }]);
      expect(await sdb.db.selectFrom('devices').select('id').execute()).toEqual([]);
      expect(await sdb.db.selectFrom('campaigns').select('id').execute()).toEqual([]);
    } finally {
      await sdb.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
