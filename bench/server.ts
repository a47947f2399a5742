/**
 * Reference server throughput: 8 devices upload events concurrently (batches
 * of 500, each device one request at a time, keep-alive fetch on loopback)
 * to the server running as its own process (`server/index.ts serve`), on
 * SQLite and on PostgreSQL (a throwaway cluster, when installed). 5 % of the
 * events hit a voucher that is already used, so the conflict path is part of
 * the figure. Bounded: a fixed number of events and a time limit per backend.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDevice, createMerchant, initPlatform } from '../server/admin';
import { openServerDb, type ServerDb } from '../server/db';
import { nowIso, vkeyOf } from '../server/events';
import { findPostgres, startPgCluster, type PgCluster } from '../test/server/pg';
import { fmt, nowUs, note, section, stats, table, tempDir } from './lib';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const DEVICES = 8;
const BATCH = 500;

interface Row {
  backend: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  requestP50Ms: number;
  requestP99Ms: number;
  stored: number;
  conflict: number;
  other: number;
}

async function setup(sdb: ServerDb, url: string, vouchers: number): Promise<{ id: string; token: string }[]> {
  await initPlatform(sdb, { iss: 'gb.bench', name: 'Bench' });
  await createMerchant(sdb, { id: 'MB', name: 'Bench Shop', sharePercent: 85 });
  // The vouchers are recorded directly (as `mint` records them) without making
  // their JWE texts: the upload path only needs the server's record of the face.
  const at = nowIso();
  for (let i = 0; i < vouchers; i += 1000) {
    const rows = [];
    for (let j = i; j < Math.min(vouchers, i + 1000); j++) {
      rows.push({ vkey: vkeyOf('gb.bench', `V${j}`), iss: 'gb.bench', jti: `V${j}`, mid: 'MB', kind: 'item', qty: 1, val: null, cur: null, use_cap: null, unit_price: 1000, cmp: null, exp: null, minted_at: at, used_units: 0, used_amount: 0, used_events: 0 });
    }
    await sdb.db.insertInto('vouchers').values(rows).execute();
  }
  const devices = [];
  for (let d = 0; d < DEVICES; d++) {
    const c = await createDevice(sdb, { mid: 'MB', id: `BENCH-${d}`, url, passphrase: 'pw', p2c: 1000 });
    devices.push({ id: c.deviceId, token: c.token });
  }
  return devices;
}

function startServerProcess(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'server', 'index.ts'), 'serve', '--port', '0', '--max-in-flight', '1000', ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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

async function runBackend(backend: string, dbArgs: string[], openOpts: Parameters<typeof openServerDb>[0], total: number, limitMs: number): Promise<Row> {
  // Setup first (the server process is started after, on the same database).
  const sdb = await openServerDb(openOpts);
  const fresh = Math.ceil(total * 0.95);
  let devices: { id: string; token: string }[];
  try {
    devices = await setup(sdb, 'http://127.0.0.1:1', fresh);
  } finally {
    await sdb.close();
  }
  const { child, url } = await startServerProcess(dbArgs);
  try {
    // Events: voucher V{k} for the k-th fresh event; every 20th event reuses an earlier voucher (a conflict).
    let next = 0;
    let freshUsed = 0;
    const makeBatch = (device: string): unknown[] => {
      const evs = [];
      for (let i = 0; i < BATCH && next < total; i++, next++) {
        const reuse = next % 20 === 19 && freshUsed > 0;
        const jti = reuse ? `V${next % freshUsed}` : `V${freshUsed++}`;
        evs.push({ id: `01JB${String(next).padStart(22, '0')}`, type: 'redemption', iss: 'gb.bench', jti, mid: 'MB', branch: null, device, at: new Date(Date.UTC(2026, 10, 21, 9) + next).toISOString(), units: 1, amount: null, cur: null, cashier: 'bench', member: null, offline: true });
      }
      return evs;
    };
    const latencies: number[] = [];
    const counts = { stored: 0, conflict: 0, other: 0 };
    const started = nowUs();
    const deadline = Date.now() + limitMs;
    await Promise.all(
      devices.map(async (d) => {
        while (next < total && Date.now() < deadline) {
          const events = makeBatch(d.id);
          const t = nowUs();
          const res = await fetch(`${url}/v1/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${d.token}`, 'x-device-id': d.id, 'content-type': 'application/json' },
            body: JSON.stringify({ events }),
          });
          const body = (await res.json()) as { results?: { status: string }[] };
          latencies.push((nowUs() - t) / 1000);
          if (res.status !== 200 || !body.results) throw new Error(`upload answered ${res.status}`);
          for (const r of body.results) {
            if (r.status === 'stored') counts.stored++;
            else if (r.status === 'conflict') counts.conflict++;
            else counts.other++;
          }
        }
      }),
    );
    const seconds = (nowUs() - started) / 1e6;
    const events = counts.stored + counts.conflict + counts.other;
    const s = stats(latencies);
    return { backend, events, seconds, eventsPerSecond: events / seconds, requestP50Ms: s.p50, requestP99Ms: s.p99, ...counts };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

export async function runServer(opts: { quick: boolean }): Promise<{ rows: Row[]; skipped: string[] }> {
  section('Reference server: event upload with 8 concurrent devices (loopback, batches of 500)');
  const total = opts.quick ? 8_000 : 100_000;
  const limitMs = opts.quick ? 30_000 : 120_000;
  const rows: Row[] = [];
  const skipped: string[] = [];
  const tmp = tempDir('vd-bench-server-');
  let cluster: PgCluster | undefined;
  try {
    rows.push(await runBackend('SQLite (WAL, synchronous=FULL)', ['--database', join(tmp.dir, 's.sqlite')], { database: join(tmp.dir, 's.sqlite') }, total, limitMs));
    const pg = findPostgres();
    if ('missing' in pg) {
      skipped.push(`PostgreSQL: ${pg.missing}`);
    } else {
      cluster = await startPgCluster(pg.bin);
      const database = await cluster.createDatabase('bench');
      rows.push(await runBackend('PostgreSQL (throwaway cluster, fsync off)', ['--database', database], { database }, total, limitMs));
    }
  } finally {
    cluster?.stop();
    tmp.cleanup();
  }
  table(
    `${total} events asked, ${DEVICES} devices, ${BATCH} events a request (time limit ${limitMs / 1000} s per backend)`,
    ['backend', 'events', 'seconds', 'events/s', 'request p50 ms', 'request p99 ms', 'stored', 'conflict', 'other'],
    rows.map((r) => [r.backend, String(r.events), fmt(r.seconds, 2), fmt(r.eventsPerSecond, 0), fmt(r.requestP50Ms, 1), fmt(r.requestP99Ms, 1), String(r.stored), String(r.conflict), String(r.other)]),
  );
  for (const s of skipped) note(`SKIPPED ${s}`);
  note('One write lock serialises uploads (exact conflicts, cursor order); the server is a separate process, the 8 devices share this one.');
  return { rows, skipped };
}
