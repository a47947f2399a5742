/**
 * A replaced workstation rebuilt from the platform: it redeems and syncs, its
 * data folder is lost, a fresh one imports the same device bundle, rebuilds,
 * and has the same events (compared event by event); a voucher it used is refused.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevice, mint } from '../../server/admin';
import type { HistoryEntry, RedeemResult, SyncStatus } from '../../preload/contract';
import type { Core } from '../../main/core/services';
import { startReferenceServer, stopReferenceServer, type ReferenceServer } from '../server/support';
import { ADMIN_PASSPHRASE, callErr, callOk, newWorkstation, openDbFile, tempDir } from '../support/workstation';

let ref: ReferenceServer;
let sealed: string;
let pos7: { id: string; token: string };
let oldEvents: unknown[] = [];
const stations: Awaited<ReturnType<typeof newWorkstation>>[] = [];

beforeAll(async () => {
  ref = await startReferenceServer('sqlite');
  const made = await createDevice(ref.sdb, { mid: 'M1', branch: 'B01', id: 'B01-POS7', url: ref.srv.url, passphrase: 'pw', p2c: 1000 });
  sealed = made.sealed;
  pos7 = { id: 'B01-POS7', token: made.token };
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
    oldEvents = before;

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

  it('the CLI rebuilds too: voucherdesk keys import, then voucherdesk backup rebuild', async () => {
    const tmp = tempDir('vd-rebuild-cli-');
    try {
      const bundle = join(tmp.dir, 'device.json');
      writeFileSync(bundle, sealed);
      const dataDir = join(tmp.dir, 'new-pc');
      // Not spawnSync: the server answers from this process.
      const cli = (args: string[]) =>
        new Promise<{ status: number; stdout: string; stderr: string }>((done) => {
          const child = execFile(
            process.execPath,
            ['--import', 'tsx', resolve(__dirname, '../../main/cli/index.ts'), ...args, '--data-dir', dataDir],
            { env: { ...process.env, VOUCHERDESK_PASSPHRASE: ADMIN_PASSPHRASE, VOUCHERDESK_BUNDLE_PASSPHRASE: 'pw' }, encoding: 'utf8' },
            (err, stdout, stderr) => done({ status: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
          );
          child.stdin?.end();
        });
      expect((await cli(['keys', 'import', bundle])).status).toBe(0);
      const r = await cli(['backup', 'rebuild', '--json']);
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ events: 4, skipped: 0 });
      const db = await openDbFile(dataDir, { readonly: true });
      try {
        expect(db.prepare(`SELECT ${COLUMNS} FROM events ORDER BY seq`).all()).toEqual(oldEvents);
      } finally {
        db.close();
      }
    } finally {
      tmp.cleanup();
    }
  }, 120_000);

  it('GET /v1/own-events answers only the asking device its own events, in pages, and refuses a foreign cursor', async () => {
    const get = async (dev: { id: string; token: string }, q: string) => {
      const res = await fetch(`${ref.srv.url}/v1/own-events${q}`, { headers: { authorization: `Bearer ${dev.token}`, 'x-device-id': dev.id } });
      return { status: res.status, json: (await res.json()) as { cursor: string; more: boolean; events: { status: string; event: { device: string } }[] } };
    };
    // In pages, in the order stored, each with the server's answer.
    const one = await get(pos7, '?limit=1');
    expect(one.json.more).toBe(true);
    expect(one.json.events).toHaveLength(1);
    expect(one.json.events[0]).toMatchObject({ status: 'stored', event: { device: 'B01-POS7' } });
    const rest = await get(pos7, `?since=${one.json.cursor}&limit=10`);
    expect(rest.json).toMatchObject({ more: false });
    expect(rest.json.events).toHaveLength(3);
    // Device A of the same merchant never uploaded: nothing of B01-POS7's comes to it.
    expect((await get(ref.A, '')).json).toMatchObject({ more: false, events: [] });
    const token = (await createDevice(ref.sdb, { mid: 'M1', branch: 'B01', id: 'B01-POS8', url: ref.srv.url, passphrase: 'pw', p2c: 1000 })).token;
    expect((await get({ id: 'B01-POS8', token }, '')).json.events).toEqual([]);
    expect((await get(ref.A, '?since=c-000000000001')).status).toBe(400);
    expect((await fetch(`${ref.srv.url}/v1/own-events`)).status).toBe(401);
  });
});
