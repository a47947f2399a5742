/**
 * The reference server against a hostile or careless client (issue 11):
 * aborted uploads free their place, a token is checked before a body is read,
 * event times are read strictly and bounded, a reused event id is refused,
 * unknown fields are capped and device/branch come from the token.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- HTTP answers are JSON, checked by value in the assertions */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/app';
import type { ServerDb } from '../../server/db';
import { mint } from '../../server/admin';
import { BACKENDS, nextId, serverHelpers, startReferenceServer, stopReferenceServer, type Dev } from './support';

/** Opens a raw connection, sends `head` and `firstPart`, and resolves with what the server answered (or '' if it closed silently). */
function rawPost(url: string, head: string, firstPart: string, opts: { abortAfterMs?: number; waitMs?: number } = {}): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const sock = connect(Number(port), hostname);
    let got = '';
    sock.on('data', (d) => (got += d.toString('latin1')));
    sock.on('error', () => resolve(got));
    sock.on('close', () => resolve(got));
    sock.write(head + firstPart);
    if (opts.abortAfterMs !== undefined) setTimeout(() => sock.destroy(), opts.abortAfterMs);
    else setTimeout(() => sock.destroy(), opts.waitMs ?? 1000);
  });
}

const headOf = (dev: Dev | null, length: number) =>
  [
    'POST /v1/events HTTP/1.1',
    'Host: localhost',
    'Content-Type: application/json',
    `Content-Length: ${length}`,
    ...(dev ? [`Authorization: Bearer ${dev.token}`, `X-Device-Id: ${dev.id}`] : []),
    '',
    '',
  ].join('\r\n');

describe.each(BACKENDS)('reference server hardening on %s', (backend) => {
  let tmp: string;
  let sdb: ServerDb;
  let srv: RunningServer;
  let A: Dev, B: Dev, C: Dev;

  beforeAll(async () => {
    ({ tmp, sdb, srv, A, B, C } = await startReferenceServer(backend));
  });
  afterAll(() => stopReferenceServer({ tmp, sdb, srv }));
  const { call, upload, redemption, voucher } = serverHelpers(() => ({ srv, sdb }));

  it('uploads aborted mid-body free their place: after 100 of them a normal upload is served', async () => {
    for (let i = 0; i < 100; i += 20) {
      await Promise.all(Array.from({ length: 20 }, () => rawPost(srv.url, headOf(A, 10_000), '{"events": [', { abortAfterMs: 50 })));
    }
    await new Promise((r) => setTimeout(r, 100));
    const r = await upload(A, [redemption(await voucher(), new Date().toISOString())]);
    expect(r.status).toBe(200);
    expect(r.json.results[0].status).toBe('stored');
  });

  it('refuses an unauthenticated large post with 401 before reading its body', async () => {
    const size = 31 * 1024 * 1024;
    const answer = await rawPost(srv.url, headOf(null, size), '{"events": [', { waitMs: 1000 });
    expect(answer).toMatch(/^HTTP\/1\.1 401/);
    const wrong = await rawPost(srv.url, headOf({ id: A.id, token: 'wrong' }, size), '{"events": [', { waitMs: 1000 });
    expect(wrong).toMatch(/^HTTP\/1\.1 401/);
    // An authenticated post announcing more than an upload may hold is refused at once too.
    const tooBig = await rawPost(srv.url, headOf(A, size), '{"events": [', { waitMs: 1000 });
    expect(tooBig).toMatch(/^HTTP\/1\.1 413/);
    expect((await call(A, 'GET', '/v1/changes')).status).toBe(200);
  });
  const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

  it('reads event times strictly and bounds them by the clock and the voucher', async () => {
    const j = await voucher();
    const bad = ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-02-31T10:00:00Z', '2026-02-29T10:00:00Z', '2026-11-21 09:00:00Z', '2026-11-21T24:00:00Z', '1999-12-31T23:59:59Z', minutesFromNow(60)];
    const r = await upload(A, bad.map((at) => redemption(j, at)));
    expect(r.json.results.map((x: any) => x.status)).toEqual(bad.map(() => 'rejected'));
    for (const x of r.json.results) expect(x.reason).toMatch(/\bat\b/);
    // After the voucher's own expiry: refused, however honest the rest.
    const expired = (await mint(sdb, { mid: 'M1', exp: Math.floor(Date.parse('2026-06-01T00:00:00Z') / 1000) } as any))[0]!.jti;
    const late = await upload(A, [redemption(expired, '2026-06-02T00:00:00Z')]);
    expect(late.json.results[0]).toMatchObject({ status: 'rejected' });
    expect(late.json.results[0].reason).toMatch(/expir/);
    // A leap day, an offset and a clock a little ahead are fine; the voucher is still whole after the refusals.
    const fine = await upload(A, [redemption(await voucher({ mid: 'M1', now: Date.parse('2024-02-01T00:00:00Z') / 1000 }), '2024-02-29T10:00:00+08:00'), redemption(await voucher(), minutesFromNow(2)), redemption(j, '2026-11-21T09:00:00Z')]);
    expect(fine.json.results.map((x: any) => x.status)).toEqual(['stored', 'stored', 'stored']);
  });

  it('answers an identical retry duplicate, and a different event reusing an id rejected (idReused)', async () => {
    const e = redemption(await voucher(), '2026-11-21T09:00:00Z');
    expect((await upload(A, [e])).json.results[0].status).toBe('stored');
    expect((await upload(A, [e])).json.results[0]).toMatchObject({ status: 'duplicate', was: 'stored' });
    const other = redemption(await voucher(), '2026-11-21T09:00:00Z', { id: e.id });
    expect((await upload(A, [other])).json.results[0]).toMatchObject({ id: e.id, status: 'rejected', reason: 'idReused' });
    // Another device of the same merchant sending the very same event is reusing the id too.
    expect((await upload(C, [e])).json.results[0]).toMatchObject({ status: 'rejected', reason: 'idReused' });
    // Within one request as well.
    const f = redemption(await voucher(), '2026-11-21T09:00:00Z');
    const twice = await upload(A, [f, { ...f, units: 2 }, f]);
    expect(twice.json.results.map((x: any) => [x.status, x.reason])).toEqual([['stored', undefined], ['rejected', 'idReused'], ['duplicate', undefined]]);
  });

  it('caps unknown fields at 4 KB and takes device and branch from the token', async () => {
    const j = await voucher();
    const huge = await upload(A, [redemption(j, '2026-11-21T09:00:00Z', { note: 'x'.repeat(5000) })]);
    expect(huge.json.results[0].status).toBe('rejected');
    expect(huge.json.results[0].reason).toMatch(/unknown fields/);
    const many = await upload(A, [redemption(j, '2026-11-21T09:00:00Z', Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, 'y'.repeat(60)])))]);
    expect(many.json.results[0].status).toBe('rejected');
    // Naming another device or branch is refused; naming its own, or none, is fine.
    const r = await upload(A, [
      redemption(j, '2026-11-21T09:00:00Z', { device: B.id }),
      redemption(j, '2026-11-21T09:00:00Z', { branch: 'B02' }),
      redemption(j, '2026-11-21T09:00:00Z', { device: A.id, branch: 'B01', note: 'small' }),
    ]);
    expect(r.json.results.map((x: any) => x.status)).toEqual(['rejected', 'rejected', 'stored']);
    expect(r.json.results[0].reason).toMatch(/device/);
    expect(r.json.results[1].reason).toMatch(/branch/);
    const id = r.json.results[2].id;
    const row = await sdb.db.selectFrom('events').select(['device', 'branch', 'body']).where('id', '=', id).executeTakeFirstOrThrow();
    expect([row.device, row.branch, JSON.parse(row.body).note]).toEqual([A.id, 'B01', 'small']);
    const rev = await upload(A, [{ id: nextId(), type: 'reversal', reverses: id, at: '2026-11-21T09:05:00Z', device: C.id }]);
    expect(rev.json.results[0].status).toBe('rejected');
  });
});
