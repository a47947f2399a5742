import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { ADMIN_PASSPHRASE } from './workstation';

/**
 * Starts a redemption worker process on a data dir: `ready` resolves once its
 * core is open, `send` hands it the voucher, `result` is its verdict. Send to
 * several ready workers at once for a real race on one database file.
 */
export function startWorker(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'redeem-worker.ts'), dataDir], {
    env: { ...process.env, VOUCHERDESK_PASSPHRASE: ADMIN_PASSPHRASE },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  child.stdout.on('data', (d) => {
    out += d;
    if (out.startsWith('ready\n')) markReady();
  });
  const result = new Promise<{ verdict: string; event: string | null }>((res, rej) => {
    child.on('error', rej);
    child.on('exit', (code) => (code === 0 ? res(JSON.parse(out.slice('ready\n'.length))) : rej(new Error(`worker exited ${code}`))));
  });
  return { ready, result, send: (text: string) => child.stdin.end(text) };
}
