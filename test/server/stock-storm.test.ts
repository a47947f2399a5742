/**
 * Issue 15 on two server processes sharing one PostgreSQL (a throwaway
 * cluster): 8 devices at once ask for allotments, give units back, and redeem
 * one campaign's vouchers online-first (with or without allotted units) or
 * offline within their allotment, every request to a random process and its
 * retry (503) to either. While it runs and after it, the campaign's
 * redeemed + reserved never passes its stock, nothing is oversold, the counts
 * equal what the events and allotments say, and once every device has given
 * its share back the stock sells out exactly (no unit lost).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- HTTP answers are JSON, checked by value */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createDevice, createMerchant, initPlatform, setCampaign } from '../../server/admin';
import { openServerDb } from '../../server/db';
import { nowIso, vkeyOf } from '../../server/events';
import { findPostgres, startPgCluster, type PgCluster } from './pg';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const found = findPostgres();
const DEVICES = 8;
const PER_DEVICE = 30;
const STOCK = 60;

function serve(database: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'server', 'index.ts'), 'serve', '--port', '0', '--max-in-flight', '1000', '--database', database], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /"listening":"([^"]+)"/.exec(buf);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

let cluster: PgCluster | undefined;
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  cluster?.stop();
});

describe.skipIf('missing' in found)('campaign stock on two server processes and one PostgreSQL', () => {
  it('a storm of allotments and online-first redemptions never takes more than the stock', { timeout: 240_000 }, async () => {
    cluster = await startPgCluster((found as { bin: string }).bin);
    const database = await cluster.createDatabase('storm');
    const sdb = await openServerDb({ database });
    try {
      await initPlatform(sdb, { iss: 'gb.test', name: 'Test' });
      await createMerchant(sdb, { id: 'M1', name: 'Lotus', sharePercent: 85 });
      await setCampaign(sdb, { id: 'STORM', mid: 'M1', stock: STOCK, mode: 'strict' });
      const at0 = nowIso();
      const rows = [];
      for (let d = 0; d < DEVICES; d++) {
        for (let j = 0; j < PER_DEVICE; j++) {
          const jti = `D${d}-V${j}`;
          rows.push({ vkey: vkeyOf('gb.test', jti), iss: 'gb.test', jti, mid: 'M1', kind: 'item', qty: 1, val: null, cur: null, use_cap: null, unit_price: 1000, cmp: 'STORM', exp: null, minted_at: at0, used_units: 0, used_amount: 0, used_events: 0 });
        }
      }
      await sdb.db.insertInto('vouchers').values(rows).execute();
      const devs: { id: string; token: string }[] = [];
      for (let d = 0; d < DEVICES; d++) {
        const c = await createDevice(sdb, { mid: 'M1', id: `D${d}`, url: 'http://127.0.0.1:1', passphrase: 'pw', p2c: 1000 });
        devs.push({ id: c.deviceId, token: c.token });
      }
      const procs = [await serve(database), await serve(database)];
      children.push(...procs.map((p) => p.child));

      /** A call to a random process, retried (to a random one) while it answers 503; never a 500. */
      const post = async (dev: { id: string; token: string }, path: string, body: unknown): Promise<any> => {
        for (let attempt = 0; attempt < 50; attempt++) {
          const p = procs[Math.floor(Math.random() * procs.length)]!;
          const res = await fetch(`${p.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${dev.token}`, 'x-device-id': dev.id, 'content-type': 'application/json' }, body: JSON.stringify(body) });
          expect([200, 503]).toContain(res.status);
          if (res.status === 200) return res.json();
          await new Promise((r) => setTimeout(r, 20));
        }
        throw new Error('busy for ever');
      };

      // Reads the committed counts all along: redeemed + reserved never passes the stock.
      let running = true;
      let samples = 0;
      const watcher = (async () => {
        while (running) {
          const c = await sdb.db.selectFrom('campaign_counts').select(['redeemed', 'reserved']).where('mid', '=', 'M1').where('campaign', '=', 'STORM').executeTakeFirstOrThrow();
          expect(c.redeemed + c.reserved).toBeLessThanOrEqual(STOCK);
          samples++;
          await new Promise((r) => setTimeout(r, 5));
        }
      })();

      const base = Date.now() - 3_600_000;
      let n = 0;
      const state = devs.map(() => ({ granted: 0, consumed: 0, next: 0, soldOut: 0 }));
      const redeem = async (d: number, allot: number, offline: boolean) => {
        const s = state[d]!;
        const ev = { id: `01JS${String(++n).padStart(22, '0')}`, type: 'redemption', iss: 'gb.test', jti: `D${d}-V${s.next}`, at: new Date(base + n).toISOString(), units: 1, offline, ...(allot > 0 ? { allot } : {}) };
        const r = (await post(devs[d]!, '/v1/events', { events: [ev] })).results[0];
        const status = r.status === 'duplicate' ? r.was : r.status;
        expect(r.oversell).toBeUndefined();
        if (status === 'stored' || status === 'conflict') {
          s.next++;
          s.consumed += allot;
        } else {
          expect(r.reason).toBe('soldOut');
          expect(offline).toBe(false);
          s.soldOut++;
        }
      };
      const ask = async (d: number, want?: number) => {
        const s = state[d]!;
        const a = await post(devs[d]!, '/v1/allotments', { campaign: 'STORM', consumed: s.consumed, ...(want !== undefined ? { want } : {}) });
        expect(a.granted).toBeGreaterThanOrEqual(s.consumed);
        expect(a.redeemed + a.reserved).toBeLessThanOrEqual(STOCK);
        s.granted = a.granted;
      };
      await Promise.all(
        devs.map(async (_dev, d) => {
          const s = state[d]!;
          for (let step = 0; step < 40 && s.next < PER_DEVICE; step++) {
            const roll = Math.random();
            const held = s.granted - s.consumed;
            if (roll < 0.3) await ask(d, Math.floor(Math.random() * 6));
            else if (held > 0 && roll < 0.65) await redeem(d, 1, Math.random() < 0.5); // within the allotment: offline or online
            else await redeem(d, 0, false); // online-first without allotment
          }
        }),
      );
      running = false;
      await watcher;

      const counted = async () => {
        const c = await sdb.db.selectFrom('campaign_counts').select(['stock', 'redeemed', 'reserved']).where('campaign', '=', 'STORM').executeTakeFirstOrThrow();
        const live = await sdb.db.selectFrom('events').select('id').where('type', '=', 'redemption').where('status', '=', 'stored').where('reversed_by', 'is', null).execute();
        const allots = await sdb.db.selectFrom('allotments').select(['device', 'granted', 'consumed']).where('campaign', '=', 'STORM').execute();
        expect(c.redeemed).toBe(live.length);
        expect(c.reserved).toBe(allots.reduce((t, a) => t + a.granted - a.consumed, 0));
        for (const a of allots) expect(a.consumed).toBe(state[Number(a.device.slice(1))]!.consumed);
        expect(c.redeemed + c.reserved).toBeLessThanOrEqual(STOCK);
        return c;
      };
      await counted();
      expect(samples).toBeGreaterThan(0);
      expect(await sdb.db.selectFrom('oversells').select('event').execute()).toEqual([]);

      // Everyone gives back; then the rest sells out exactly, online-first.
      for (let d = 0; d < DEVICES; d++) await ask(d, 0);
      expect((await counted()).reserved).toBe(0);
      for (let d = 0; d < DEVICES; d++) {
        const s = state[d]!;
        const before = s.soldOut;
        while (s.next < PER_DEVICE && s.soldOut === before) await redeem(d, 0, false);
      }
      expect(await counted()).toEqual({ stock: STOCK, redeemed: STOCK, reserved: 0 });
    } finally {
      await sdb.close();
    }
  });
});
