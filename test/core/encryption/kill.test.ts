/**
 * Issue 11: `kill -9` at any moment of the move from a clear database to an
 * encrypted one leaves a usable database holding every row. A real child
 * process runs the migration and is killed at each of its steps, and at
 * random moments; the workstation then opens with every row.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseState, tempFileOf, type EncryptStep } from '../../../main/core/db/encrypt';
import { openKeyFile, readKeyFile } from '../../../main/core/db/key';
import { ADMIN_PASSPHRASE, newWorkstation, openWorkstation, tempDir } from '../../support/workstation';
import { importMembers, makeClear, membersCsv, tableCounts } from './support';

const CHILD = resolve(__dirname, 'encrypt-child.ts');
const STEPS: EncryptStep[] = ['checkpointed', 'copied', 'rekeyed', 'verified', 'swapped'];

let template: { dir: string; cleanup(): void };
let expected: Record<string, number>;
const trials = tempDir('vd-encrypt-kill-');

beforeAll(async () => {
  const ws = await newWorkstation();
  await importMembers(ws.core, membersCsv(3000).csv);
  ws.core.close();
  await makeClear(ws.dir);
  template = { dir: ws.dir, cleanup: ws.cleanup };
  expected = tableCounts(join(ws.dir, 'voucherdesk.db'));
  expect(expected.crm_people).toBe(3000);
}, 120_000);
afterAll(() => {
  template?.cleanup();
  trials.cleanup();
});

/** Runs the migration in a child; kills it at `pauseAt`, or `afterMs` after it starts. Returns what it reported and how long it ran. */
function runChild(dir: string, opts: { pauseAt?: EncryptStep; afterMs?: number }): Promise<{ steps: string[]; killed: boolean; ms: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], {
    env: { ...process.env, VOUCHERDESK_PASSPHRASE: ADMIN_PASSPHRASE, VOUCHERDESK_TEST_PAUSE_AT: opts.pauseAt ?? '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  let killed = false;
  const kill = () => {
    if (child.exitCode === null && !killed) {
      killed = true;
      child.kill('SIGKILL');
    }
  };
  let timer: NodeJS.Timeout | null = null;
  let started = 0;
  child.stdout.on('data', (d) => {
    out += d;
    if (!started && out.startsWith('start\n')) {
      started = Date.now();
      if (opts.afterMs !== undefined) timer = setTimeout(kill, opts.afterMs);
    }
    if (opts.pauseAt && out.includes(`at ${opts.pauseAt}\n`)) kill();
  });
  return new Promise((res) =>
    child.on('exit', () => {
      if (timer) clearTimeout(timer);
      res({ steps: out.split('\n').filter(Boolean), killed, ms: started ? Date.now() - started : 0 });
    }),
  );
}

let n = 0;
async function trial(opts: { pauseAt?: EncryptStep; afterMs?: number }): Promise<{ steps: string[]; killed: boolean; ms: number }> {
  const dir = join(trials.dir, `t${n++}`);
  cpSync(template.dir, dir, { recursive: true });
  const result = await runChild(dir, opts);
  // After the kill: the next start finishes the job (or finds it done) with every row.
  const core = await openWorkstation(dir);
  core.close();
  const file = join(dir, 'voucherdesk.db');
  expect(databaseState(file)).toBe('encrypted');
  expect(existsSync(tempFileOf(file))).toBe(false);
  const key = await openKeyFile(readKeyFile(dir)!, { os: null, passphrase: ADMIN_PASSPHRASE });
  expect(tableCounts(file, key)).toEqual(expected);
  return result;
}

describe('encrypting a clear database survives kill -9', () => {
  it.each(STEPS)('killed after the step "%s"', async (step) => {
    const { steps, killed } = await trial({ pauseAt: step });
    expect(killed).toBe(true);
    expect(steps.at(-1)).toBe(`at ${step}`);
  }, 120_000);

  it('killed at random moments (8 trials), and left to finish once', async () => {
    // How long the migration itself takes here, so the kills land inside it.
    const done = await trial({});
    expect(done.steps.at(-1)).toBe('done');
    for (let i = 0; i < 8; i++) {
      // Killed, or finished just before the kill: either way every row is there (checked in trial).
      await trial({ afterMs: Math.floor(Math.random() * done.ms) });
    }
  }, 300_000);
});
