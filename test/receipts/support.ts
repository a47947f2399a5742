/**
 * Emulated receipt printers for the tests: a loopback TCP server that keeps
 * every byte it receives (a JetDirect port), and a socat pty pair whose
 * "printer" end writes what it receives to a file (a serial printer).
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { RedemptionSlipInput } from '../../main/core/receipts/compose';
import { startSocat } from '../scanners/socat';

/** A redemption as the slip tests print it. */
export const REDEMPTION: RedemptionSlipInput = {
  shop: '老王火锅',
  branch: '徐汇店',
  device: 'POS-1',
  eventId: '01JDX3F0-7c2a-4e1b-9d2e-5f6a7b8cdef1',
  at: Date.UTC(2026, 10, 30, 10, 5),
  cashier: 'Li Na',
  kind: 'item',
  product: '双人火锅套餐',
  units: 2,
  amount: null,
  cur: 'CNY',
  left: 3,
};

/** A printer that takes the connection and then stops reading (out of paper, jammed): writes never drain. */
export async function startStuckPrinter(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((socket) => {
    socket.pause();
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface TcpPrinter {
  port: number;
  /** The bytes of each connection, in order. */
  jobs: Buffer[];
  /** Waits for the n-th job (1-based) to be complete (its connection closed). */
  job(n?: number, timeoutMs?: number): Promise<Buffer>;
  close(): Promise<void>;
}

export async function startTcpPrinter(): Promise<TcpPrinter> {
  const jobs: Buffer[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer((socket) => {
    const parts: Buffer[] = [];
    socket.on('data', (d: Buffer) => parts.push(d));
    socket.on('end', () => {
      jobs.push(Buffer.concat(parts));
      socket.end();
      for (const w of waiters.splice(0)) w();
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    jobs,
    async job(n = 1, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (jobs.length < n) {
        if (Date.now() > until) throw new Error(`the printer received ${jobs.length} job(s), not ${n}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
      return jobs[n - 1]!;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A port on which nothing listens (a printer switched off). */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface SerialPrinter {
  /** The path the app opens. */
  app: string;
  child: ChildProcess;
  /** What the printer has received so far. */
  received(): Buffer;
  /** Waits until `length` bytes have arrived. */
  receive(length: number, timeoutMs?: number): Promise<Buffer>;
  kill(): Promise<void>;
}

export async function startSerialPrinter(app: string, capture: string): Promise<SerialPrinter> {
  const child = await startSocat(['-u', `pty,raw,echo=0,link=${app}`, `CREATE:${capture}`], [app]);
  const received = () => (existsSync(capture) ? readFileSync(capture) : Buffer.alloc(0));
  return {
    app,
    child,
    received,
    async receive(length, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (received().length < length) {
        if (Date.now() > until) throw new Error(`the serial printer received ${received().length} of ${length} bytes`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return received();
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}
