/**
 * Faults between two workstations and the reference server: the server killed
 * mid-upload (before and after it stores), answers lost on the way back, 503
 * with Retry-After, garbage JSON, a clock 2 hours off, a revoked token. After
 * the faults stop, every event is on the server exactly once and both ledgers
 * agree. A loopback proxy in this test sits between the workstations and the server.
 */
import Database from 'better-sqlite3';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedeemResult, SyncStatus } from '../../preload/contract';
import { openDbFile, tempDir } from '../support/workstation';
import { freePort, makePlatform, Proxy, serverCommand, startServer, startStation, until, type Platform, type ServerProc, type Station } from './support';

async function ids(file: string, sql: string): Promise<string[]> {
  const db = file.endsWith('voucherdesk.db') ? await openDbFile(dirname(file), { readonly: true, fileMustExist: true }) : new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(sql).all() as { id: string }[]).map((r) => r.id).sort();
  } finally {
    db.close();
  }
}

describe('sync faults', () => {
  const tmp = tempDir('vd-sync-faults-');
  let p: Platform;
  let proxy: Proxy;
  let server: ServerProc;
  let a: Station;
  let b: Station;
  const busy = () => join(tmp.dir, 'busy');

  beforeAll(async () => {
    const serverPort = await freePort();
    const proxyPort = await freePort();
    p = await makePlatform(tmp.dir, { vouchers: 12, port: serverPort, url: `http://127.0.0.1:${proxyPort}` });
    proxy = new Proxy(serverPort, proxyPort);
    await proxy.start();
    server = await startServer(p, ['--busy-file', busy(), '--retry-after', '7']);
    [a, b] = await Promise.all([startStation(join(tmp.dir, 'a'), p.bundles.B01), startStation(join(tmp.dir, 'b'), p.bundles.B02)]);
    await a.call('sync.now', {});
    await b.call('sync.now', {});
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.core.stop(), b?.core.stop(), server?.kill()]);
    await proxy?.close();
    tmp.cleanup();
  });

  const redeem = async (s: Station, i: number) => {
    const r = await s.call<RedeemResult>('voucher.redeem', { text: p.vouchers[i]! });
    expect(r.verdict).toBe('VALID');
    return r;
  };
  const errCode = async (s: Station) => (await s.callErr('sync.now', {})).code;

  it('a redemption decided offline goes up by itself once the server answers again (backoff, no Sync now)', async () => {
    proxy.mode = 'cut-request';
    const r = await redeem(a, 4);
    expect(r.event).toBeTruthy();
    expect((await a.call<SyncStatus>('sync.status', {})).waiting).toBe(1);
    proxy.mode = 'pass';
    await until(async () => (await a.call<SyncStatus>('sync.status', {})).waiting === 0, 15_000, 'the automatic upload');
    expect((await a.call<SyncStatus>('sync.status', {})).online).toBe(true);
  }, 30_000);

  it('no event is lost or stored twice through every fault, and both ledgers agree afterwards', async () => {
    // The request never reaches the server (as if it died before storing): online-first falls back offline.
    proxy.mode = 'cut-request';
    const r0 = await redeem(a, 0);
    expect(r0.event).toBeTruthy();
    expect(await errCode(a)).toBe('sync.err.unreachable');
    await redeem(a, 1);
    await redeem(b, 2);
    expect((await a.call<SyncStatus>('sync.status', {})).waiting).toBe(2);

    // The server stores the batch, the answer is lost on the way back.
    proxy.mode = 'drop-response';
    expect(await errCode(a)).toBe('sync.err.unreachable');
    expect(proxy.dropped).toBeGreaterThan(0);
    expect((await a.call<SyncStatus>('sync.status', {})).waiting).toBe(2);

    // Garbage JSON: nothing is marked.
    proxy.mode = 'garbage';
    expect(await errCode(b)).toBe('sync.err.badResponse');
    expect((await b.call<SyncStatus>('sync.status', {})).waiting).toBe(1);

    // Busy: 503 with Retry-After 7 s; the next automatic attempt waits for it.
    proxy.mode = 'pass';
    writeFileSync(busy(), '');
    const before = Date.now();
    expect(await errCode(b)).toBe('sync.err.busy');
    const sb = await b.call<SyncStatus>('sync.status', {});
    expect(sb.nextAttemptAt! - before).toBeGreaterThanOrEqual(6_500);
    expect(sb.lastErrors.at(-1)!.code).toBe('busy');
    rmSync(busy());

    // The server killed while A uploads, then started again.
    await redeem(a, 3);
    const killed = a.callErr('sync.now', {});
    await server.kill('SIGKILL');
    const code = (await killed.catch(() => ({ code: 'none' }))).code;
    expect(['sync.err.unreachable', 'none']).toContain(code);
    server = await startServer(p, ['--busy-file', busy()]);

    // Faults stop: everything converges.
    for (const s of [a, b, a, b]) await s.call('sync.now', {});
    for (const s of [a, b]) {
      const st = await s.call<SyncStatus>('sync.status', {});
      expect(st.waiting).toBe(0);
      expect(st.online).toBe(true);
    }
    const local = [
      ...(await ids(join(tmp.dir, 'a', 'voucherdesk.db'), 'SELECT id FROM events WHERE remote = 0')),
      ...(await ids(join(tmp.dir, 'b', 'voucherdesk.db'), 'SELECT id FROM events WHERE remote = 0')),
    ].sort();
    const onServer = await ids(join(tmp.dir, 'srv', 'server.sqlite'), 'SELECT id FROM events');
    expect(onServer).toEqual(local);
    expect(new Set(onServer).size).toBe(onServer.length);
    // Both ledgers hold the same events (their own and the other's).
    expect(await ids(join(tmp.dir, 'a', 'voucherdesk.db'), 'SELECT id FROM events')).toEqual(await ids(join(tmp.dir, 'b', 'voucherdesk.db'), 'SELECT id FROM events'));
  }, 90_000);

  it('a server clock 2 hours ahead: the warning says so and the clock guard trusts the server', async () => {
    proxy.skewMs = 2 * 3600_000;
    await b.call('sync.now', {});
    const st = await b.call<SyncStatus>('sync.status', {});
    expect(st.clockWrongMinutes).toBeGreaterThanOrEqual(119);
    expect(st.clockWrongMinutes).toBeLessThanOrEqual(121);
    const v = await b.call<RedeemResult>('voucher.verify', { text: p.vouchers[9]! });
    expect(v.verdict).toBe('CLOCK_BEHIND');
    proxy.skewMs = 0;
  }, 30_000);

  it('a revoked token: "token refused", and the waiting events stay waiting', async () => {
    const r = await a.call<RedeemResult>('voucher.redeem', { text: p.vouchers[10]! });
    expect(r.verdict).toBe('VALID');
    await until(async () => (await a.call<SyncStatus>('sync.status', {})).waiting === 0, 15_000, 'the online redemption');
    const revoked = await serverCommand(p, ['device', 'revoke', 'B01-POS1']);
    expect(revoked.code).toBe(0);
    // Online-first gets 401: decided offline, recorded as waiting.
    const r2 = await a.call<RedeemResult>('voucher.redeem', { text: p.vouchers[11]! });
    expect(r2.verdict).toBe('VALID');
    expect(await errCode(a)).toBe('sync.err.tokenRefused');
    const st = await a.call<SyncStatus>('sync.status', {});
    expect(st.waiting).toBe(1);
    expect(st.online).toBe(false);
    expect(st.lastErrors.at(-1)!.code).toBe('tokenRefused');
  }, 30_000);
});
