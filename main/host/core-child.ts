import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreConnection, type FromCore } from '../core/process/protocol';

const here = dirname(fileURLToPath(import.meta.url));
export const CORE_ENTRY = join(here, '..', 'core', 'process', 'main.ts');

export interface CoreChild {
  connection: CoreConnection;
  /** What the process wrote to stdout and stderr, when started with capture. */
  output(): string;
  child: ChildProcess;
  /** Resolves when the child has exited. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Starts the core process as a Node child (the browser host, the CLI's
 * multi-process tests, and the benchmarks use this; the app uses a
 * utilityProcess with the same entry file).
 */
export async function startCoreChild(opts: { dataDir: string; device?: string; env?: NodeJS.ProcessEnv; capture?: boolean }): Promise<CoreChild> {
  const args = ['--data-dir', opts.dataDir, '--protector', 'passphrase'];
  if (opts.device) args.push('--device', opts.device);
  const child = fork(CORE_ENTRY, args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', opts.capture ? 'pipe' : 'inherit', opts.capture ? 'pipe' : 'inherit', 'ipc'],
    env: { ...process.env, ...opts.env },
  });
  let captured = '';
  child.stdout?.on('data', (d) => (captured += d));
  child.stderr?.on('data', (d) => (captured += d));
  const connection = new CoreConnection((msg) => {
    if (child.connected) child.send(msg);
  });
  child.on('message', (m) => connection.receive(m as FromCore));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      connection.closed();
      resolve(code);
    }),
  );
  const failed = exited.then((code) => {
    throw new Error(`The core process exited during start (code ${code}).`);
  });
  await Promise.race([connection.ready, failed]);
  failed.catch(() => {});
  return {
    connection,
    child,
    exited,
    output: () => captured,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ t: 'shutdown' });
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    },
  };
}
