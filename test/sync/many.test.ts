/** 100,000 events from a workstation that was offline for a long time all arrive on the server exactly once, and at the other branch. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../preload/contract';
import { openDbFile, tempDir } from '../support/workstation';
import { seedPlatformVouchers, seedWaitingEvents } from './seed';
import { makePlatform, startServer, startStation, type ServerProc, type Station } from './support';

const N = 100_000;

describe('a long-offline workstation', () => {
  const tmp = tempDir('vd-sync-many-');
  let server: ServerProc | null = null;
  let a: Station | null = null;
  let b: Station | null = null;

  afterAll(async () => {
    await Promise.all([a?.core.stop(), b?.core.stop(), server?.kill()]);
    tmp.cleanup();
  });

  it(`uploads ${N.toLocaleString('en')} waiting events, each stored exactly once`, async () => {
    const p = await makePlatform(tmp.dir, { vouchers: 1 });
    const wsDir = join(tmp.dir, 'a');
    a = await startStation(wsDir, p.bundles.B01);
    await a.core.stop();
    const jtis = seedPlatformVouchers(join(tmp.dir, 'srv', 'server.sqlite'), N);
    await seedWaitingEvents(join(wsDir, 'voucherdesk.db'), jtis, { device: 'B01-POS1', branch: 'B01' });

    a = await startStation(wsDir);
    expect((await a.call<SyncStatus>('sync.status', {})).waiting).toBe(N);
    server = await startServer(p);
    const started = Date.now();
    await a.call('sync.now', {});
    const ms = Date.now() - started;
    const st = await a.call<SyncStatus>('sync.status', {});
    expect(st.waiting).toBe(0);
    expect(st.rejected).toBe(0);

    const db = new Database(join(tmp.dir, 'srv', 'server.sqlite'), { readonly: true });
    const row = db.prepare("SELECT count(*) AS n, count(DISTINCT id) AS d, sum(status = 'stored') AS s FROM events WHERE device = 'B01-POS1'").get() as { n: number; d: number; s: number };
    db.close();
    expect(row).toEqual({ n: N, d: N, s: N });
    const ws = await openDbFile(wsDir, { readonly: true });
    const marked = ws.prepare("SELECT count(*) AS n FROM sync_outbox WHERE status = 'stored'").get() as { n: number };
    ws.close();
    expect(marked.n).toBe(N);
    console.log(`sync: ${N} events uploaded in ${(ms / 1000).toFixed(1)} s (${Math.round(N / (ms / 1000))} events/s)`);

    // The other branch downloads them all as changes: each voucher is then refused there.
    b = await startStation(join(tmp.dir, 'b'), p.bundles.B02);
    const t0 = Date.now();
    await b.call('sync.now', {});
    const downMs = Date.now() - t0;
    const bdb = await openDbFile(join(tmp.dir, 'b'), { readonly: true });
    const remote = bdb.prepare('SELECT count(*) AS n, count(DISTINCT id) AS d FROM events WHERE remote = 1').get() as { n: number; d: number };
    const used = bdb.prepare('SELECT count(*) AS n FROM vouchers WHERE used = 1').get() as { n: number };
    bdb.close();
    expect(remote).toEqual({ n: N, d: N });
    expect(used.n).toBe(N);
    console.log(`sync: ${N} changes downloaded and applied in ${(downMs / 1000).toFixed(1)} s`);
  }, 300_000);
});
