/**
 * A replaced workstation rebuilt from the platform: it redeems and syncs, its
 * data folder is lost, a fresh one imports the same device bundle, rebuilds,
 * and has the same events (compared event by event); a voucher it used is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevice, mint } from '../../server/admin';
import type { HistoryEntry, RedeemResult, SyncStatus } from '../../preload/contract';
import type { Core } from '../../main/core/services';
import { startReferenceServer, stopReferenceServer, type ReferenceServer } from '../server/support';
import { callErr, callOk, newWorkstation } from '../support/workstation';

let ref: ReferenceServer;
let sealed: string;
const stations: Awaited<ReturnType<typeof newWorkstation>>[] = [];

beforeAll(async () => {
  ref = await startReferenceServer('sqlite');
  sealed = (await createDevice(ref.sdb, { mid: 'M1', branch: 'B01', id: 'B01-POS7', url: ref.srv.url, passphrase: 'pw', p2c: 1000 })).sealed;
});
afterAll(async () => {
  for (const s of stations) s.cleanup();
  await stopReferenceServer(ref);
});

async function station(): Promise<{ core: Core; token: string }> {
  const ws = await newWorkstation({ keysFile: null });
  stations.push(ws);
  await callOk(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'device.json', content: sealed, bundlePassphrase: 'pw' });
  return ws;
}

/** The fields an event carries on the wire: a rebuilt ledger has them all (its local row numbers are new). */
const COLUMNS = 'id, type, iss, jti, mid, branch, device, cashier, at, units, amount, cur, reverses, reason, by, member, offline, remote';
const events = (core: Core) => core.db.prepare(`SELECT ${COLUMNS} FROM events ORDER BY seq`).all();

describe('rebuilding a replaced workstation from the platform', () => {
  it('brings its own events back, event by event, and a voucher it used stays used', async () => {
    const old = await station();
    const [a, b, c] = await mint(ref.sdb, { mid: 'M1', qty: 3 }, 3);
    const first = await callOk<RedeemResult>(old.core, 'voucher.redeem', { text: a!.text, units: 1 });
    expect(first.verdict).toBe('VALID');
    expect((await callOk<RedeemResult>(old.core, 'voucher.redeem', { text: b!.text, units: 3 })).verdict).toBe('VALID');
    expect((await callOk<RedeemResult>(old.core, 'voucher.redeem', { text: c!.text, units: 2 })).verdict).toBe('VALID');
    await callOk<HistoryEntry>(old.core, 'ledger.reverse', { adminToken: old.token, eventId: first.event!.id, reason: 'mistake' });
    const synced = await callOk<SyncStatus>(old.core, 'sync.now', {});
    expect(synced.waiting).toBe(0);
    const before = events(old.core);
    expect(before).toHaveLength(4);

    // The PC is replaced: a fresh data folder, the same device bundle.
    const fresh = await station();
    expect((await callErr(fresh.core, 'backup.rebuild', { adminToken: 'nope' })).code).toBe('admin.required');
    const r = await callOk<{ events: number }>(fresh.core, 'backup.rebuild', { adminToken: fresh.token });
    expect(r.events).toBe(4);
    expect(events(fresh.core)).toEqual(before);
    // Nothing waits to go up again, and a second rebuild adds nothing.
    expect((await callOk<SyncStatus>(fresh.core, 'sync.status', {})).waiting).toBe(0);
    expect((await callOk<{ events: number }>(fresh.core, 'backup.rebuild', { adminToken: fresh.token })).events).toBe(0);
    // The voucher used up before is refused; the one with units left has what it had.
    expect((await callOk<RedeemResult>(fresh.core, 'voucher.redeem', { text: b!.text, units: 1 })).verdict).toBe('ALREADY_REDEEMED');
    const more = await callOk<RedeemResult>(fresh.core, 'voucher.redeem', { text: c!.text, units: 1 });
    expect(more.verdict).toBe('VALID');
    expect(more.remaining?.left).toBe(0);
  });
});
