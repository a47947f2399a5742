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
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDevice, createMerchant, initPlatform } from '../server/admin';
import { openServerDb, type ServerDb } from '../server/db';
import { nowIso, vkeyOf } from '../server/events';
import { findPostgres, startPgCluster, type PgCluster } from '../test/server/pg';
import { fmt, nowUs, note, section, stats, table, tempDir } from './lib';
import { cpuMeter, waitSampler, type CpuSplit } from './server-probe';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BATCH = 500;
/** Uploads of WARM events each device sends to each process before the clock starts (JIT, pools, prepared paths). */
const WARM = 100;
/** Requests each device keeps in flight (BENCH_SERVER_INFLIGHT; a counter PC sends one at a time). */
const INFLIGHT = Math.max(1, Number(process.env.BENCH_SERVER_INFLIGHT ?? 1));
/** Cases to run, e.g. BENCH_SERVER_CASES=8x8,64x1 (devices x merchants); all by default. */
const CASES = process.env.BENCH_SERVER_CASES?.split(',').map((c) => c.trim());
/** BENCH_SERVER_STATEMENTS=1: load pg_stat_statements and print each PostgreSQL case's costliest statements. */
const STATEMENTS = process.env.BENCH_SERVER_STATEMENTS === '1';
/** Extra node flags for the server processes, e.g. BENCH_SERVER_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
const NODE_FLAGS = process.env.BENCH_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];

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
  cpu: CpuSplit;
  waits: string;
  stored: number;
  conflict: number;
  other: number;
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
  const child = spawn(process.execPath, [...NODE_FLAGS, '--import', 'tsx', join(REPO, 'server', 'index.ts'), 'serve', '--port', '0', '--max-in-flight', '1000', ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
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
  const warmers = Math.min(8, c.devices);
  const all = total + c.processes * warmers * WARM; // the warm-up's events come first, from the same vouchers
  const fresh = Math.ceil(all * 0.95);
  let devices: { id: string; token: string; mid: string }[];
  try {
    devices = await setup(sdb, c.merchants, c.devices, fresh);
  } finally {
    await sdb.close();
  }
  const procs: { child: ChildProcess; url: string }[] = [];
  for (let p = 0; p < c.processes; p++) procs.push(await startServerProcess(['--database', c.database]));
  try {
    // Per merchant: its vouchers V{k} (k ≡ m mod merchants) in order; every 20th event reuses one (a conflict).
    const nextOf = new Map<string, { fresh: number; used: number }>();
    let next = 0;
    const makeBatch = (d: { id: string; mid: string }, size: number): unknown[] => {
      const m = Number(d.mid.slice(2));
      const st = nextOf.get(d.mid) ?? { fresh: 0, used: 0 };
      nextOf.set(d.mid, st);
      const evs = [];
      for (let i = 0; i < size && next < all; i++, next++) {
        const reuse = next % 20 === 19 && st.used > 0;
        const k = reuse ? (next % st.used) : st.used++;
        const j = k * c.merchants + m;
        if (j >= fresh) break;
        evs.push({ id: `01JB${String(next).padStart(22, '0')}`, type: 'redemption', iss: 'gb.bench', jti: `V${j}`, mid: d.mid, at: new Date(Date.now() - 3_600_000 + (next % 1000)).toISOString(), units: 1, amount: null, cur: null, cashier: 'bench', member: null, offline: true });
      }
      return evs;
    };
    const upload = async (url: string, d: { id: string; token: string }, events: unknown[]) => {
      const res = await fetch(`${url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${d.token}`, 'x-device-id': d.id, 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
      const body = (await res.json()) as { results?: { status: string }[] };
      if (res.status !== 200 || !body.results) throw new Error(`upload answered ${res.status}`);
      return body.results;
    };
    // Warm-up, not timed: every process answers a few uploads first (JIT, connection pool).
    for (const p of procs) await Promise.all(devices.slice(0, warmers).map((d) => upload(p.url, d, makeBatch(d, WARM))));
    const latencies: number[] = [];
    const counts = { stored: 0, conflict: 0, other: 0 };
    const meter = cpuMeter(() => procs.map((p) => p.child.pid!), c.postgres);
    const waits = c.postgres ? waitSampler(c.database) : null;
    const started = nowUs();
    const deadline = Date.now() + limitMs;
    // Each device keeps INFLIGHT uploads going (1: a counter PC waits for its answer), round-robin over the processes.
    await Promise.all(
      devices.flatMap((d, i) =>
        Array.from({ length: INFLIGHT }, async (_, lane) => {
          let r = i + lane;
          while (next < all && Date.now() < deadline) {
            const events = makeBatch(d, BATCH);
            if (events.length === 0) return;
            const t = nowUs();
            const results = await upload(procs[r++ % procs.length]!.url, d, events);
            latencies.push((nowUs() - t) / 1000);
            for (const x of results) {
              if (x.status === 'stored') counts.stored++;
              else if (x.status === 'conflict') counts.conflict++;
              else counts.other++;
            }
          }
        }),
      ),
    );
    const seconds = (nowUs() - started) / 1e6;
    const cpu = meter.stop();
    const w = waits ? await waits.stop() : null;
    const events = counts.stored + counts.conflict + counts.other;
    const s = stats(latencies);
    return {
      backend: c.backend,
      processes: c.processes,
      devices: c.devices,
      merchants: c.merchants === 1 ? '1 (hot)' : String(c.merchants),
      events,
      seconds,
      eventsPerSecond: events / seconds,
      requestP50Ms: s.p50,
      requestP99Ms: s.p99,
      cpu: { ...cpu, server: cpu.server / seconds, postgres: cpu.postgres / seconds, client: cpu.client / seconds },
      waits: w ? w.share.slice(0, 5).map(([k, v]) => `${k} ${fmt(v * 100, 0)} %`).join(', ') : '',
      ...counts,
    };
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
    else cluster = await startPgCluster(pg.bin, { fsync: true, conf: STATEMENTS ? ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track_planning=on'] : [] });
    let n = 0;
    for (const devices of [8, 64]) {
      for (const merchants of [Math.min(16, devices), 1]) {
        if (CASES && !CASES.includes(`${devices}x${merchants}`)) continue;
        const file = join(tmp.dir, `s${n++}.sqlite`);
        rows.push(await runCase({ backend: 'SQLite (WAL, synchronous=FULL)', database: file, processes: 1, devices, merchants, postgres: false }, total, limitMs));
        if (!cluster) continue;
        for (const processes of [1, 2, 4]) {
          const database = await cluster.createDatabase(`bench${n++}`);
          if (STATEMENTS) await topStatements(database, 'reset');
          rows.push(await runCase({ backend: 'PostgreSQL 15 (fsync on)', database, processes, devices, merchants, postgres: true }, total, limitMs));
          if (STATEMENTS) await topStatements(database, 'print');
        }
      }
    }
  } finally {
    cluster?.stop();
    tmp.cleanup();
  }
  table(
    `${total} events timed per case after a warm-up, ${BATCH} events a request, ${INFLIGHT} request(s) in flight per device (time limit ${limitMs / 1000} s per case); ${availableParallelism()} cores; load before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    ['backend', 'processes', 'devices', 'merchants', 'events', 'events/s', 'request p50 ms', 'request p99 ms', 'cores: server', 'PostgreSQL', 'bench client', 'machine busy', 'CPU ms / 1000 ev', 'stored', 'conflict', 'other'],
    rows.map((r) => [r.backend, String(r.processes), String(r.devices), r.merchants, String(r.events), fmt(r.eventsPerSecond, 0), fmt(r.requestP50Ms, 1), fmt(r.requestP99Ms, 1), fmt(r.cpu.server, 2), fmt(r.cpu.postgres, 2), fmt(r.cpu.client, 2), `${fmt(r.cpu.machineBusy * 100, 0)} %`, fmt(((r.cpu.server + r.cpu.postgres + r.cpu.client) / r.eventsPerSecond) * 1e6, 0), String(r.stored), String(r.conflict), String(r.other)]),
  );
  for (const r of rows) if (r.waits) note(`PostgreSQL ${r.processes} process(es), ${r.devices} devices, ${r.merchants} merchants, backends seen: ${r.waits}`);
  for (const s of skipped) note(`SKIPPED ${s}`);
  note('PostgreSQL runs with fsync on and synchronous_commit on. Uploads lock the vouchers they touch, and their merchant\'s feed row only to number their changes at the end (server/events-lock.ts, server/feeds.ts): merchants never wait on each other; a hot merchant\'s uploads queue only for that last step. "cores: server / PostgreSQL / bench client" = CPU seconds each used per second of the case (2.00 = both cores); "machine busy" = the whole machine, everyone\'s work included (it is shared: see the load); "CPU ms / 1000 ev" = what 1000 events cost in CPU, server + PostgreSQL + client. Backends seen = pg_stat_activity sampled every 20 ms: CPU (running), Lock:… (waiting on a row lock), IO:WALSync / LWLock:WALWrite (waiting on the commit\'s flush), idle in transaction (waiting on its server process).');
  return { rows, skipped };
}

/** pg_stat_statements of one database: reset before a case, or print its costliest statements (plan + execution time) after. */
async function topStatements(database: string, what: 'reset' | 'print'): Promise<void> {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: database });
  await c.connect();
  try {
    await c.query('create extension if not exists pg_stat_statements');
    if (what === 'reset') {
      await c.query('select pg_stat_statements_reset()');
      return;
    }
    const r = await c.query<{ calls: string; plan: number; exec: number; q: string }>(
      `select calls, total_plan_time as plan, total_exec_time as exec, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as q
       from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
       order by total_plan_time + total_exec_time desc limit 8`,
    );
    for (const s of r.rows) note(`  ${String(s.calls).padStart(6)} calls  plan ${fmt(s.plan, 0).padStart(6)} ms  exec ${fmt(s.exec, 0).padStart(6)} ms  ${s.q}`);
  } finally {
    await c.end();
  }
}
