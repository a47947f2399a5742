/**
 * A pseudo-terminal pair made by socat: the "scanner" end the test writes to,
 * the "app" end the core opens with the real serialport binding. Killing
 * socat is an unplug; a new pair at the same link paths is a replug.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';

export function socatMissing(): string | null {
  const r = spawnSync('socat', ['-V'], { stdio: 'ignore' });
  return r.error || r.status !== 0 ? 'socat is not installed (apt-get install socat; .ci/run installs it)' : null;
}

export interface PtyPair {
  scanner: string;
  app: string;
  child: ChildProcess;
  /** Writes bytes to the scanner end, as a scanner sends them. */
  write(data: string | Uint8Array): void;
  /** Unplug: socat stops, its links disappear, the app end hangs up. */
  kill(): Promise<void>;
}

/** Starts socat with `args` and waits until it moves data and the `links` it makes exist. */
export async function startSocat(args: string[], links: string[]): Promise<ChildProcess> {
  const child = spawn('socat', ['-d', '-d', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`socat did not start: ${err}`)), 10_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('starting data transfer loop')) {
        clearTimeout(t);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`socat exited (${code}): ${err}`));
    });
  });
  for (let i = 0; i < 100 && !links.every((l) => existsSync(l)); i++) await new Promise((r) => setTimeout(r, 20));
  return child;
}

export async function startPair(scanner: string, app: string): Promise<PtyPair> {
  const child = await startSocat([`pty,raw,echo=0,link=${scanner}`, `pty,raw,echo=0,link=${app}`], [scanner, app]);
  let fd: number | null = openSync(scanner, 'r+');
  return {
    scanner,
    app,
    child,
    write(data) {
      const buf = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data);
      let off = 0;
      while (off < buf.length) off += writeSync(fd!, buf, off);
    },
    async kill() {
      if (fd !== null) closeSync(fd);
      fd = null;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}
