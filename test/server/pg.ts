/**
 * A throwaway PostgreSQL cluster for the server tests and benchmark: initdb +
 * pg_ctl in a temp dir, on a free loopback port, trust authentication, fsync
 * off (it is thrown away). Run as the `postgres` user through `runuser` when
 * we are root (CI runs as root; PostgreSQL refuses to run as root). When the
 * binaries are missing, `findPostgres()` says why and the caller skips.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PgCluster {
  /** postgres://postgres@127.0.0.1:PORT/ — append a database name. */
  base: string;
  /** Create an empty database and return its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): void;
}

/** The bin directory of an installed PostgreSQL, or a reason why there is none. */
export function findPostgres(): { bin: string } | { missing: string } {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return { missing: `PostgreSQL is not installed (${root} missing; apt-get install postgresql)` };
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) return { missing: `no initdb/pg_ctl under ${root}/*/bin` };
  return { bin: join(root, versions[0]!, 'bin') };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * `fsync: true` (the benchmark) keeps PostgreSQL's durable defaults; the tests throw the cluster away and turn them off.
 * `conf`: more settings (`name=value`), e.g. the benchmark's pg_stat_statements.
 */
export async function startPgCluster(bin: string, opts: { fsync?: boolean; conf?: string[] } = {}): Promise<PgCluster> {
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'vd-pg-'));
  const data = join(dir, 'data');
  const sock = join(dir, 'sock');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const run = (cmd: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : cmd, asRoot ? ['-u', 'postgres', '--', cmd, ...args] : args, { stdio: 'pipe', timeout: 60_000 });
  run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync', '-N']);
  run('mkdir', ['-p', sock]);
  const port = await freePort();
  run(join(bin, 'pg_ctl'), [
    '-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', 'start',
    '-o', `-p ${port} -k ${sock} -c listen_addresses=127.0.0.1 ${opts.fsync ? '-c fsync=on -c synchronous_commit=on' : '-c fsync=off -c synchronous_commit=off -c full_page_writes=off'} -c max_connections=100${(opts.conf ?? []).map((c) => ` -c ${c}`).join('')}`,
  ]);
  const base = `postgres://postgres@127.0.0.1:${port}/`;
  return {
    base,
    async createDatabase(name) {
      const c = new pg.Client({ connectionString: `${base}postgres` });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await c.end();
      }
      return `${base}${name}`;
    },
    stop() {
      try {
        run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
