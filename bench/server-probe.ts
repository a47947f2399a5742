/**
 * What the server benchmark watches while a case runs (issue 14: why do more
 * processes not go faster on 2 cores?):
 *
 * - CPU time of the server processes, of PostgreSQL's processes and of the
 *   benchmark's own client (this process), from /proc and process.cpuUsage;
 * - the whole machine's busy share from /proc/stat (other helpers share it),
 *   so a case shows whether any core was left idle;
 * - what PostgreSQL's client backends were doing, sampled from
 *   pg_stat_activity every 20 ms: running ('CPU'), waiting on a lock
 *   (`Lock:transactionid`, `Lock:tuple`), on the WAL flush (`IO:WALSync`,
 *   `LWLock:WALWrite`), or on the server process (`Client:ClientRead`,
 *   idle in transaction).
 */
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';

const TICK = 100; // USER_HZ: /proc times are in 1/100 s on Linux

/** CPU seconds used so far by these processes (utime + stime). */
export function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
      ticks += Number(rest[11]) + Number(rest[12]);
    } catch {
      // gone
    }
  }
  return ticks / TICK;
}

export function postgresPids(): number[] {
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

/** The machine's CPU counters (all cores): busy and total ticks. */
function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = line.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = line[3]! + line[4]!; // idle + iowait
  return { busy: total - idle, total };
}

export interface CpuSplit {
  /** CPU seconds over the case. */
  server: number;
  postgres: number;
  client: number;
  /** Share of the whole machine busy (everyone's work, 0..1). */
  machineBusy: number;
}

/** Start counting; `stop()` gives the CPU seconds each part used meanwhile. */
export function cpuMeter(serverPids: () => number[], withPostgres: boolean): { stop(): CpuSplit } {
  const s0 = cpuSeconds(serverPids());
  const p0 = withPostgres ? cpuSeconds(postgresPids()) : 0;
  const c0 = process.cpuUsage();
  const m0 = machineTicks();
  return {
    stop() {
      const c = process.cpuUsage(c0);
      const m = machineTicks();
      return {
        server: cpuSeconds(serverPids()) - s0,
        postgres: withPostgres ? cpuSeconds(postgresPids()) - p0 : 0,
        client: (c.user + c.system) / 1e6,
        machineBusy: (m.busy - m0.busy) / Math.max(1, m.total - m0.total),
      };
    },
  };
}

/**
 * Samples pg_stat_activity of one database every `everyMs` until stopped:
 * the share of backend samples in each state (wait_event_type:wait_event,
 * 'CPU' when active and waiting on nothing, 'idle in transaction' when the
 * backend waits for its server process inside a transaction).
 */
export function waitSampler(database: string, everyMs = 20): { stop(): Promise<{ samples: number; share: [string, number][] }> } {
  const client = new pg.Client({ connectionString: database });
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  const done = (async () => {
    await client.connect();
    const db = new URL(database).pathname.slice(1);
    while (running) {
      const r = await client.query<{ state: string | null; t: string | null; e: string | null }>(
        `select state, wait_event_type as t, wait_event as e from pg_stat_activity
         where datname = $1 and backend_type = 'client backend' and pid <> pg_backend_pid() and state <> 'idle'`,
        [db],
      );
      for (const row of r.rows) {
        const key = row.state === 'active' ? (row.t ? `${row.t}:${row.e}` : 'CPU') : (row.state ?? '?');
        counts.set(key, (counts.get(key) ?? 0) + 1);
        samples++;
      }
      await new Promise((res) => setTimeout(res, everyMs));
    }
    await client.end();
  })();
  return {
    async stop() {
      running = false;
      await done;
      const share = [...counts.entries()].map(([k, n]) => [k, n / Math.max(1, samples)] as [string, number]).sort((a, b) => b[1] - a[1]);
      return { samples, share };
    },
  };
}
