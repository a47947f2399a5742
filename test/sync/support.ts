/**
 * A platform for the sync tests: the reference server's database set up in
 * this process (merchant, two branches, one device each, vouchers), the server
 * itself as a real child process on loopback (so it can be killed), and
 * workstations as real core processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, Socket, type Server } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { createBranch, createDevice, createMerchant, initPlatform, mint } from '../../server/admin';
import { openServerDb } from '../../server/db';
import { issuedBeforeTestDates } from '../support/issue-time';
import { startCoreChild, type CoreChild } from '../../main/host/core-child';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The same passphrase as test/support/workstation.ts (not imported: that module needs CommonJS __dirname, and bench/ loads this one as ESM). */
export const ADMIN_PASSPHRASE = 'correct horse battery';
export const BUNDLE_PASSPHRASE = 'bundle passphrase 1';

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface Platform {
  dir: string;
  port: number;
  url: string;
  bundles: Record<string, string>;
  tokens: Record<string, string>;
  vouchers: string[];
}

/** Creates the platform's database: merchant M1001 (85 %), branches B01 and B02, devices B01-POS1 and B02-POS1. */
export async function makePlatform(dir: string, opts: { vouchers?: number; url?: string; port?: number } = {}): Promise<Platform> {
  const port = opts.port ?? (await freePort());
  const url = opts.url ?? `http://127.0.0.1:${port}`;
  const sdb = await openServerDb({ dataDir: join(dir, 'srv') });
  try {
    await initPlatform(sdb, {});
    await createMerchant(sdb, { id: 'M1001', name: 'Tea House', sharePercent: 85, signing: true } as Parameters<typeof createMerchant>[1]);
    const bundles: Record<string, string> = {};
    const tokens: Record<string, string> = {};
    for (const b of ['B01', 'B02']) {
      await createBranch(sdb, { mid: 'M1001', id: b });
      const d = await createDevice(sdb, { mid: 'M1001', id: `${b}-POS1`, branch: b, url, passphrase: BUNDLE_PASSPHRASE, p2c: 1000 });
      bundles[b] = d.sealed;
      tokens[b] = d.token;
    }
    const minted = await mint(sdb, { mid: 'M1001', kind: 'item', unitPrice: 1000, ...issuedBeforeTestDates() } as Parameters<typeof mint>[1], opts.vouchers ?? 4);
    return { dir, port, url, bundles, tokens, vouchers: minted.map((m) => m.text) };
  } finally {
    await sdb.close();
  }
}

export interface ServerProc {
  child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
  output(): string;
}

/** Starts `npm run server -- serve` (as node --import tsx server/index.ts) and waits until it listens. */
export async function startServer(p: Platform, extra: string[] = []): Promise<ServerProc> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'index.ts'), 'serve', '--data-dir', join(p.dir, 'srv'), '--port', String(p.port), ...extra], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await new Promise<void>((resolveStart, reject) => {
    const t = setInterval(() => {
      if (out.includes('listening')) {
        clearInterval(t);
        resolveStart();
      }
    }, 50);
    void exited.then(() => {
      clearInterval(t);
      reject(new Error(`server exited: ${out}`));
    });
  });
  return {
    child,
    output: () => out,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Runs a server command (import, device revoke …) and returns its stdout. */
export async function serverCommand(p: Platform, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'index.ts'), ...args, '--data-dir', join(p.dir, 'srv')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  return { code, out, err };
}

export interface Station {
  core: CoreChild;
  dir: string;
  call<T = unknown>(name: string, input: unknown): Promise<T>;
  callErr(name: string, input: unknown): Promise<{ code: string; message: string; params?: Record<string, unknown> }>;
  admin(): Promise<string>;
}

/** A workstation as a real core process with the device's sealed bundle imported. */
export async function startStation(dir: string, bundle?: string): Promise<Station> {
  const core = await startCoreChild({ dataDir: dir, capture: true });
  const call = async <T,>(name: string, input: unknown): Promise<T> => {
    const o = await core.connection.call(name, input);
    if (!o.ok) throw new Error(`${name} failed: ${o.error.code} ${o.error.message}`);
    return o.value as T;
  };
  const callErr = async (name: string, input: unknown) => {
    const o = await core.connection.call(name, input);
    if (o.ok) throw new Error(`${name} succeeded but should have failed`);
    return o.error as { code: string; message: string; params?: Record<string, unknown> };
  };
  const info = await call<{ adminConfigured: boolean }>('app.info', {});
  if (!info.adminConfigured) await call('admin.setup', { passphrase: ADMIN_PASSPHRASE });
  const admin = async () => (await call<{ token: string }>('admin.login', { passphrase: ADMIN_PASSPHRASE })).token;
  if (bundle) {
    await call('keystore.import', { adminToken: await admin(), fileName: 'device.jwe', content: bundle, bundlePassphrase: BUNDLE_PASSPHRASE });
  } else {
    await call('keystore.unlock', { passphrase: ADMIN_PASSPHRASE });
  }
  return { core, dir, call, callErr, admin };
}

/**
 * A loopback proxy between a workstation and the server. In 'drop-response'
 * mode it forwards the request, lets the server answer, then cuts the
 * workstation's connection without passing the answer on.
 */
export class Proxy {
  mode: 'pass' | 'drop-response' | 'cut-request' | 'garbage' = 'pass';
  /** Shifts the Date header of answers (a server clock that is off). */
  skewMs = 0;
  dropped = 0;
  private server: Server;
  private sockets = new Set<Socket>();

  constructor(
    private readonly targetPort: number,
    readonly port: number,
  ) {
    this.server = createServer((client) => this.handle(client));
  }

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(this.port, '127.0.0.1', () => r()));
  }

  /** The mode is read for every request, also on kept-alive connections. */
  private handle(client: Socket): void {
    const upstream = new Socket();
    this.sockets.add(client).add(upstream);
    let connected = false;
    let dropThis = false;
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (d) => {
      if (this.mode === 'garbage') {
        this.dropped++;
        client.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"results": [tru');
        upstream.destroy();
        return;
      }
      if (this.mode === 'cut-request') {
        // The request never reaches the server: as if it died before storing anything.
        this.dropped++;
        end();
        return;
      }
      dropThis = this.mode === 'drop-response';
      if (!connected) {
        connected = true;
        upstream.connect(this.targetPort, '127.0.0.1');
      }
      upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (dropThis) {
        this.dropped++;
        end();
      } else if (this.skewMs !== 0) {
        const text = d.toString('latin1').replace(/\r\nDate: ([^\r]+)\r\n/i, (_m, v: string) => `\r\nDate: ${new Date(Date.parse(v) + this.skewMs).toUTCString()}\r\n`);
        client.write(Buffer.from(text, 'latin1'));
      } else client.write(d);
    });
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** Waits until fn returns a truthy value (polling), or fails after ms. */
export async function until<T>(fn: () => Promise<T> | T, ms = 15_000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
