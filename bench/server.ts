/**
 * Reference server throughput (issue 14): devices upload events concurrently
 * (batches of 500, each device one request at a time, keep-alive fetch on
 * loopback, spread round-robin over the server processes as a load balancer
 * would) to 1, 2 or 4 server processes (`server/index.ts serve`) on one
 * PostgreSQL (a throwaway cluster with fsync ON), and to one process on
 * SQLite; 8 and 64 devices; many merchants (16) or one hot merchant. 5 % of
 * the events hit a voucher already used, so the conflict path is in the
 * figure. CPU busy = the CPU time of the server processes and PostgreSQL's
 * (from /proc) over wall time × cores; the machine's load is printed too
 * (it is shared).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDevice, createMerchant, initPlatform } from '../server/admin';
import { openServerDb, type ServerDb } from '../server/db';
import { nowIso, vkeyOf } from '../server/events';
import { findPostgres, startPgCluster, type PgCluster } from '../test/server/pg';
import { fmt, nowUs, note, section, stats, table, tempDir } from './lib';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BATCH = 500;
const TICK = 100; // USER_HZ: /proc times are in 1/100 s on Linux

interface Row {
  backend: string;
  processes: number;
  devices: number;
  merchants: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  requestP50Ms: number;
  requestP99Ms: number;
  cpuBusy: number;
  stored: number;
  conflict: number;
  other: number;
}

/** CPU seconds used so far by the processes whose command line matches (server children, postgres). */
function cpuSeconds(pids: () => number[]): number {
  let ticks = 0;
  for (const pid of pids()) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
      ticks += Number(rest[11]) + Number(rest[12]); // utime, stime
    } catch {
      // gone
    }
  }
  return ticks / TICK;
}

function postgresPids(): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').startsWith('postgres')) out.push(Number(d));
    } catch {
      // gone
    }
  }
  return out;
}

async function setup(sdb: ServerDb, merchants: number, devicesN: number, vouchers: number): Promise<{ id: string; token: string; mid: string }[]> {
  await initPlatform(sdb, { iss: 'gb.bench', name: 'Bench' });
  for (let m = 0; m < merchants; m++) await createMerchant(sdb, { id: `MB${m}`, name: `Bench Shop ${m}`, sharePercent: 85 });
  const at = nowIso();
  for (let i = 0; i < vouchers; i += 1000) {
    const rows = [];
    for (let j = i; j < Math.min(vouchers, i + 1000); j++) {
      rows.push({ vkey: vkeyOf('gb.bench', `V${j}`), iss: 'gb.bench', jti: `V${j}`, mid: `MB${j % merchants}`, kind: 'item', qty: 1, val: null, cur: null, use_cap: null, unit_price: 1000, cmp: null, exp: null, minted_at: at, used_units: 0, used_amount: 0, used_events: 0 });
    }
    await sdb.db.insertInto('vouchers').values(rows).execute();
  }
  const devices = [];
  for (let d = 0; d < devicesN; d++) {
    const mid = `MB${d % merchants}`;
    const c = await createDevice(sdb, { mid, id: `BENCH-${d}`, url: 'http://127.0.0.1:1', passphrase: 'pw', p2c: 1000 });
    devices.push({ id: c.deviceId, token: c.token, mid });
  }
  return devices;
}

function startServerProcess(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'server', 'index.ts'), 'serve', '--port', '0', '--max-in-flight', '1000', ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /"listening":"([^"]+)"/.exec(buf);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${err.slice(-500)}`)));
  });
}

interface Case {
  backend: string;
  database: string;
  processes: number;
  devices: number;
  merchants: number;
  postgres: boolean;
}

async function runCase(c: Case, total: number, limitMs: number): Promise<Row> {
  const sdb = await openServerDb({ database: c.database });
  const fresh = Math.ceil(total * 0.95);
  let devices: { id: string; token: string; mid: string }[];
  try {
    devices = await setup(sdb, c.merchants, c.devices, fresh);
  } finally {
    await sdb.close();
  }
  const procs: { child: ChildProcess; url: string }[] = [];
  for (let p = 0; p < c.processes; p++) procs.push(await startServerProcess(['--database', c.database]));
  const pids = () => [...procs.map((p) => p.child.pid!), ...(c.postgres ? postgresPids() : [])];
  try {
    // Per merchant: its vouchers V{k} (k ≡ m mod merchants) in order; every 20th event reuses one (a conflict).
    const nextOf = new Map<string, { fresh: number; used: number }>();
    let next = 0;
    const makeBatch = (d: { id: string; mid: string }): unknown[] => {
      const m = Number(d.mid.slice(2));
      const st = nextOf.get(d.mid) ?? { fresh: 0, used: 0 };
      nextOf.set(d.mid, st);
      const evs = [];
      for (let i = 0; i < BATCH && next < total; i++, next++) {
        const reuse = next % 20 === 19 && st.used > 0;
        const k = reuse ? (next % st.used) : st.used++;
        const j = k * c.merchants + m;
        if (j >= fresh) break;
        evs.push({ id: `01JB${String(next).padStart(22, '0')}`, type: 'redemption', iss: 'gb.bench', jti: `V${j}`, mid: d.mid, at: new Date(Date.now() - 3_600_000 + (next % 1000)).toISOString(), units: 1, amount: null, cur: null, cashier: 'bench', member: null, offline: true });
      }
      return evs;
    };
    const latencies: number[] = [];
    const counts = { stored: 0, conflict: 0, other: 0 };
    const cpu0 = cpuSeconds(pids);
    const started = nowUs();
    const deadline = Date.now() + limitMs;
    await Promise.all(
      devices.map(async (d, i) => {
        let r = i;
        while (next < total && Date.now() < deadline) {
          const events = makeBatch(d);
          if (events.length === 0) return;
          const url = procs[r++ % procs.length]!.url;
          const t = nowUs();
          const res = await fetch(`${url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${d.token}`, 'x-device-id': d.id, 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
          const body = (await res.json()) as { results?: { status: string }[] };
          latencies.push((nowUs() - t) / 1000);
          if (res.status !== 200 || !body.results) throw new Error(`upload answered ${res.status}`);
          for (const x of body.results) {
            if (x.status === 'stored') counts.stored++;
            else if (x.status === 'conflict') counts.conflict++;
            else counts.other++;
          }
        }
      }),
    );
    const seconds = (nowUs() - started) / 1e6;
    const cpuBusy = (cpuSeconds(pids) - cpu0) / seconds / availableParallelism();
    const events = counts.stored + counts.conflict + counts.other;
    const s = stats(latencies);
    return { backend: c.backend, processes: c.processes, devices: c.devices, merchants: c.merchants === 1 ? '1 (hot)' : String(c.merchants), events, seconds, eventsPerSecond: events / seconds, requestP50Ms: s.p50, requestP99Ms: s.p99, cpuBusy, ...counts };
  } finally {
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => (p.child.exitCode === null ? new Promise((r) => p.child.once('exit', r)) : null)));
  }
}

export async function runServer(opts: { quick: boolean }): Promise<{ rows: Row[]; skipped: string[] }> {
  section('Reference server: N processes on PostgreSQL (fsync on) and SQLite, 8/64 devices, many merchants / one hot merchant');
  const total = opts.quick ? 8_000 : 40_000;
  const limitMs = opts.quick ? 20_000 : 60_000;
  const rows: Row[] = [];
  const skipped: string[] = [];
  const tmp = tempDir('vd-bench-server-');
  let cluster: PgCluster | undefined;
  const loadBefore = loadavg();
  try {
    const pg = findPostgres();
    if ('missing' in pg) skipped.push(`PostgreSQL: ${pg.missing}`);
    else cluster = await startPgCluster(pg.bin, { fsync: true });
    let n = 0;
    for (const devices of [8, 64]) {
      for (const merchants of [Math.min(16, devices), 1]) {
        const file = join(tmp.dir, `s${n++}.sqlite`);
        rows.push(await runCase({ backend: 'SQLite (WAL, synchronous=FULL)', database: file, processes: 1, devices, merchants, postgres: false }, total, limitMs));
        if (!cluster) continue;
        for (const processes of [1, 2, 4]) {
          const database = await cluster.createDatabase(`bench${n++}`);
          rows.push(await runCase({ backend: 'PostgreSQL 15 (fsync on)', database, processes, devices, merchants, postgres: true }, total, limitMs));
        }
      }
    }
  } finally {
    cluster?.stop();
    tmp.cleanup();
  }
  table(
    `${total} events asked per case, ${BATCH} events a request (time limit ${limitMs / 1000} s per case); ${availableParallelism()} cores; load before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    ['backend', 'processes', 'devices', 'merchants', 'events', 'events/s', 'request p50 ms', 'request p99 ms', 'CPU busy', 'stored', 'conflict', 'other'],
    rows.map((r) => [r.backend, String(r.processes), String(r.devices), r.merchants, String(r.events), fmt(r.eventsPerSecond, 0), fmt(r.requestP50Ms, 1), fmt(r.requestP99Ms, 1), `${fmt(r.cpuBusy * 100, 0)} %`, String(r.stored), String(r.conflict), String(r.other)]),
  );
  for (const s of skipped) note(`SKIPPED ${s}`);
  note('PostgreSQL runs with fsync on and synchronous_commit on. Uploads lock the vouchers they touch, and their merchant\'s row only to number their changes at the end (server/events-lock.ts): merchants never wait on each other; a hot merchant\'s uploads queue only for that last step. CPU busy counts the server processes and PostgreSQL, over all cores; the machine is shared, see the load.');
  return { rows, skipped };
}
