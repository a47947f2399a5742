/**
 * Issue 14: two server processes on one PostgreSQL (a throwaway cluster; plain
 * PostgreSQL 15, no Citus package on Debian here: the schema's keys are the
 * ones Citus needs, tested on plain PostgreSQL). 8 devices race for 300
 * single-unit vouchers, half asking online-first; every upload goes to one
 * process and its retry to the other; one process is SIGKILLed mid-race. Then:
 * every voucher has exactly one stored redemption and its counter says so,
 * every event is stored once, every retry is answered as the duplicate of the
 * first answer, and a change feed read live during the race equals a full
 * re-read afterwards.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- HTTP answers are JSON, checked by value */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createDevice, createMerchant, initPlatform } from '../../server/admin';
import { openServerDb } from '../../server/db';
import { nowIso, vkeyOf } from '../../server/events';
import { findPostgres, startPgCluster, type PgCluster } from './pg';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const found = findPostgres();
const DEVICES = 8;
const VOUCHERS = 300;
const BATCH = 50;

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

describe.skipIf('missing' in found)('two server processes on one PostgreSQL', () => {
  it('race of 8 devices for 300 vouchers, retries to the other process, one SIGKILLed: nothing lost, nothing twice, a gap-free feed', { timeout: 240_000 }, async () => {
    cluster = await startPgCluster((found as { bin: string }).bin);
    const database = await cluster.createDatabase('scale');
    const sdb = await openServerDb({ database });
    try {
    await initPlatform(sdb, { iss: 'gb.test', name: 'Test' });
    await createMerchant(sdb, { id: 'M1', name: 'Lotus', sharePercent: 85 });
    const at0 = nowIso();
    const rows = [];
    for (let j = 0; j < VOUCHERS; j++) rows.push({ vkey: vkeyOf('gb.test', `V${j}`), iss: 'gb.test', jti: `V${j}`, mid: 'M1', kind: 'item', qty: 1, val: null, cur: null, use_cap: null, unit_price: 1000, cmp: null, exp: null, minted_at: at0, used_units: 0, used_amount: 0, used_events: 0 });
    await sdb.db.insertInto('vouchers').values(rows).execute();
    const devs: { id: string; token: string }[] = [];
    for (let d = 0; d <= DEVICES; d++) {
      const c = await createDevice(sdb, { mid: 'M1', id: `D${d}`, url: 'http://127.0.0.1:1', passphrase: 'pw', p2c: 1000 });
      devs.push({ id: c.deviceId, token: c.token });
    }
    const reader = devs.pop()!; // reads the feed live; uploads nothing
    const procs = [await serve(database), await serve(database)];
    children.push(...procs.map((p) => p.child));
    const alive = [true, true];

    const post = async (p: number, dev: { id: string; token: string }, events: unknown[]) => {
      const res = await fetch(`${procs[p]!.url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${dev.token}`, 'x-device-id': dev.id, 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
      expect(res.status === 200 || res.status === 503).toBe(true); // never 500
      return res.status === 200 ? ((await res.json()) as any).results : null;
    };
    const answers = new Map<string, any>(); // event id → the first answer
    const retryAnswers: [any, any][] = [];
    const base = Date.now() - 3_600_000;
    let sent = 0;

    // The live feed reader.
    const live: any[] = [];
    let since = '';
    let racing = true;
    const readFeed = async (from: string, into: any[]) => {
      for (;;) {
        const p = alive[0] ? 0 : 1;
        const r = (await (await fetch(`${procs[p]!.url}/v1/changes?limit=200${from ? `&since=${from}` : ''}`, { headers: { authorization: `Bearer ${reader.token}`, 'x-device-id': reader.id } })).json()) as any;
        into.push(...r.changes);
        from = r.cursor;
        if (!r.more) return from;
      }
    };
    const liveLoop = (async () => {
      while (racing) {
        since = await readFeed(since, live);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    await Promise.all(
      devs.map(async (dev, d) => {
        const order = Array.from({ length: VOUCHERS }, (_, j) => (j * 7 + d * 37) % VOUCHERS);
        for (let i = 0; i < order.length; i += BATCH) {
          const events = order.slice(i, i + BATCH).map((j) => ({ id: `01JS${String(d).padStart(2, '0')}${String(j).padStart(20, '0')}`, type: 'redemption', iss: 'gb.test', jti: `V${j}`, mid: 'M1', at: new Date(base + ((j * 13 + d * 101) % 997) * 1000).toISOString(), units: 1, amount: null, cur: null, cashier: 'amy', member: null, offline: d % 2 === 1 }));
          let p = (d + i / BATCH) % 2;
          if (++sent === 20) {
            procs[1]!.child.kill('SIGKILL'); // mid-race: uploads in flight there are lost or committed, never half
            alive[1] = false;
          }
          let first: any[] | null = null;
          for (let attempt = 0; attempt < 20 && !first; attempt++) {
            if (!alive[p]) p = 0;
            first = await post(p, dev, events).catch(() => null);
            p = 1 - p; // the retry goes to the other process
          }
          expect(first).not.toBeNull();
          for (const a of first!) answers.set(a.id, a);
          {
            const again = await post(0, dev, events);
            if (again) for (let k = 0; k < again.length; k++) retryAnswers.push([first![k], again[k]]);
          }
        }
      }),
    );
    racing = false;
    await liveLoop;
    await readFeed(since, live);

    // Every event stored once, every voucher exactly one stored redemption.
    expect(answers.size).toBe(DEVICES * VOUCHERS);
    const stored = await sdb.db.selectFrom('events').select(['id', 'vkey', 'status']).execute();
    expect(stored.length).toBe(DEVICES * VOUCHERS);
    expect(new Set(stored.map((s) => s.id)).size).toBe(stored.length);
    const perVoucher = new Map<string, number>();
    for (const s of stored) if (s.status === 'stored') perVoucher.set(s.vkey!, (perVoucher.get(s.vkey!) ?? 0) + 1);
    expect(perVoucher.size).toBe(VOUCHERS);
    expect([...perVoucher.values()].every((n) => n === 1)).toBe(true);
    const counters = await sdb.db.selectFrom('vouchers').select(['used_units', 'used_events']).execute();
    expect(counters.every((c) => c.used_units === 1 && c.used_events === 1)).toBe(true);
    // Retries: the duplicate of the first answer.
    for (const [a, b] of retryAnswers) {
      expect(b.status).toBe('duplicate');
      expect(b.id).toBe(a.id);
      expect(b.was).toBe(a.status === 'duplicate' ? a.was : a.status);
    }
    // Replayed against the final state: an answer the race later overturned (an
    // earlier offline event won) was followed by a conflict change to that
    // device; and the last conflict change each device got for an event names
    // the voucher's final winner (the final truth, issue 14 part 5).
    const winner = new Map(stored.filter((s) => s.status === 'stored').map((s) => [s.vkey!, s.id]));
    const told = new Map<string, string>(); // device + event → the first named last
    for (const c of await sdb.db.selectFrom('changes').select(['to_device', 'body']).where('to_device', 'is not', null).orderBy('seq').execute()) {
      const b = JSON.parse(c.body);
      told.set(`${c.to_device} ${b.event}`, b.first.id);
    }
    let overturned = 0;
    for (const s of stored) {
      const a = answers.get(s.id)!;
      const device = `D${Number(s.id.slice(4, 6))}`;
      const answered = a.status === 'duplicate' ? a.was : a.status;
      if (answered === 'conflict') expect(s.status).toBe('conflict'); // a loser never comes back
      if (s.status === 'conflict') {
        if (answered === 'stored') overturned++;
        expect(told.get(`${device} ${s.id}`)).toBe(winner.get(s.vkey!));
      }
    }
    console.log(`scale race: ${overturned} stored answers later overturned, each told the final winner`);
    // The live feed equals a full re-read.
    const full: any[] = [];
    await readFeed('', full);
    expect(live.length).toBe(full.length);
    expect(live).toEqual(full);
    } finally {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      await sdb.close();
    }
  });
});
