/**
 * Two branches, two workstations (two data directories, two core processes)
 * and the reference server on loopback (docs/spec/sync-protocol.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConflictView, RedeemResult, SyncStatus } from '../../preload/contract';
import { tempDir } from '../support/workstation';
import { makePlatform, serverCommand, startServer, startStation, type Platform, type ServerProc, type Station } from './support';

describe('two branches and the platform', () => {
  const tmp = tempDir('vd-sync-');
  let p: Platform;
  let server: ServerProc | null = null;
  let a: Station;
  let b: Station;

  beforeAll(async () => {
    p = await makePlatform(tmp.dir, { vouchers: 6 });
    [a, b] = await Promise.all([startStation(join(tmp.dir, 'a'), p.bundles.B01), startStation(join(tmp.dir, 'b'), p.bundles.B02)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.core.stop(), b?.core.stop(), server?.kill()]);
    tmp.cleanup();
  });

  it('the same voucher redeemed at both while the server is down: both accept offline, then both show the same conflict, and a third try is refused', async () => {
    const v = p.vouchers[0]!;
    const ra = await a.call<RedeemResult>('voucher.redeem', { text: v });
    const rb = await b.call<RedeemResult>('voucher.redeem', { text: v });
    expect(ra.verdict).toBe('VALID');
    expect(rb.verdict).toBe('VALID');
    const sa = await a.call<SyncStatus>('sync.status', {});
    expect(sa.waiting).toBe(1);
    expect(sa.online).toBe(false);
    expect((await a.callErr('sync.now', {})).code).toBe('sync.err.unreachable');

    server = await startServer(p);
    await a.call('sync.now', {});
    await b.call('sync.now', {});
    await a.call('sync.now', {}); // A learns about B's event and the conflict

    const ca = await a.call<ConflictView[]>('sync.conflicts', {});
    const cb = await b.call<ConflictView[]>('sync.conflicts', {});
    expect(ca).toHaveLength(1);
    expect(cb).toHaveLength(1);
    expect(ca[0]!.first.id).toBe(cb[0]!.first.id);
    expect(ca[0]!.eventId).toBe(cb[0]!.eventId);
    expect(ca[0]!.first.id).toBe(ra.event!.id); // A's came first (earlier at)
    expect(cb[0]!.event?.branch).toBe('B02');
    expect(ca[0]!.event?.branch).toBe('B02');

    for (const s of [a, b]) {
      const again = await s.call<RedeemResult>('voucher.redeem', { text: v });
      expect(again.verdict).toBe('ALREADY_REDEEMED');
    }
    const st = await b.call<SyncStatus>('sync.status', {});
    expect(st.waiting).toBe(0);
    expect(st.online).toBe(true);
    expect(st.openConflicts).toBe(1);

    // The owner settles it with a note; nothing is deleted.
    const settled = await b.call<ConflictView>('sync.settle', { adminToken: await b.admin(), eventId: cb[0]!.eventId, note: 'refunded at B02' });
    expect(settled.note).toBe('refunded at B02');
    expect(await b.call<ConflictView[]>('sync.conflicts', {})).toHaveLength(0);
    expect(await b.call<ConflictView[]>('sync.conflicts', { includeSettled: true })).toHaveLength(1);
  }, 60_000);

  it('online-first: with the server up, a voucher redeemed at A is refused at B at once, with where it was used', async () => {
    const v = p.vouchers[1]!;
    await b.call('sync.now', {});
    const ra = await a.call<RedeemResult>('voucher.redeem', { text: v });
    expect(ra.verdict).toBe('VALID');
    const rb = await b.call<RedeemResult>('voucher.redeem', { text: v });
    expect(rb.verdict).toBe('ALREADY_REDEEMED');
    expect(rb.last?.branch).toBe('B01');
    expect(rb.last?.eventId).toBe(ra.event!.id);
    // A recorded it as an online redemption, already on the server.
    const sa = await a.call<SyncStatus>('sync.status', {});
    expect(sa.waiting).toBe(0);
  }, 30_000);

  it('a redemption from the other branch comes down and is refused here with the branch and time', async () => {
    const v = p.vouchers[2]!;
    const ra = await a.call<RedeemResult>('voucher.redeem', { text: v });
    expect(ra.verdict).toBe('VALID');
    await b.call('sync.now', {});
    const vb = await b.call<RedeemResult>('voucher.verify', { text: v });
    expect(vb.verdict).toBe('ALREADY_REDEEMED');
    expect(vb.last?.branch).toBe('B01');
    expect(vb.last?.at).toBe(ra.event!.at);
  }, 30_000);

  it('batch file: export, import, import again, a tampered file refused, the receipt marks the events uploaded', async () => {
    await server!.kill();
    server = null;
    const v = p.vouchers[3]!;
    expect((await a.call<RedeemResult>('voucher.redeem', { text: v })).verdict).toBe('VALID');
    const ex = await a.call<{ fileName: string; content: string; count: number; signed: boolean }>('sync.export', {});
    expect(ex.count).toBe(1);
    expect(ex.signed).toBe(true);
    const file = join(tmp.dir, ex.fileName);
    writeFileSync(file, ex.content);

    // Tampered: one character of the payload changed.
    const parts = ex.content.trim().split('.');
    const payload = Buffer.from(parts[1]!, 'base64url').toString('utf8').replace('"units":1', '"units":2');
    const bad = join(tmp.dir, 'tampered.jws');
    writeFileSync(bad, [parts[0], Buffer.from(payload).toString('base64url'), parts[2]].join('.'));
    const refused = await serverCommand(p, ['import', bad]);
    expect(refused.code).not.toBe(0);

    const first = await serverCommand(p, ['import', file]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out).counts.stored).toBe(1);
    const again = await serverCommand(p, ['import', file, '--receipt', join(tmp.dir, 'again.json')]);
    expect(JSON.parse(again.out).counts.stored).toBe(0);
    expect(JSON.parse(again.out).counts.duplicate).toBe(1);

    expect((await a.call<SyncStatus>('sync.status', {})).waiting).toBe(1);
    const r = await a.call<{ marked: number }>('sync.loadReceipt', { content: readFileSync(`${file}.receipt.json`, 'utf8') });
    expect(r.marked).toBe(1);
    expect((await a.call<SyncStatus>('sync.status', {})).waiting).toBe(0);
    expect((await a.callErr('sync.loadReceipt', { content: 'not a receipt' })).code).toBe('sync.badReceipt');
  }, 60_000);
});
