/**
 * `npm run bench -- --only fuzz [--quick]`
 *
 * Feeds 1,000,000 mutated inputs (20,000 with --quick) to each external parser
 * (bench/fuzz/parsers.ts: GBV1 and GBV2 voucher text, the merchant bundle, the
 * CRM CSV import, the sync wire's upload answer and page of changes, the batch
 * file as the platform reads it and its receipt as the workstation reads it)
 * and prints per parser: inputs, inputs/s, crashes, hangs and false accepts,
 * with the targets 0, 0, 0. What each of these means for each parser
 * is written at the top of its file in bench/fuzz/targets/.
 *
 * Each parser runs in its own worker thread, as many at a time as the machine
 * has cores (2 on the counter PC), so both cores work. A watchdog ends a worker
 * that stops reporting for WATCHDOG_MS (a parser looping for ever) and counts a
 * hang on the input it was opening.
 *
 * Reproducible: the run's seed (FUZZ_SEED, default below) and an input's index
 * rebuild that input (bench/fuzz/mutate.ts); findings print seed, index, length
 * and a hash, never the input. FUZZ_ONLY=gbv1,csv,… runs some parsers only;
 * FUZZ_INPUTS sets the count per parser.
 */
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { HANG_MS, type FuzzResult } from './fuzz/harness';
import { TARGETS } from './fuzz/targets/index';
import type { WorkerTask } from './fuzz/worker';
import { fmt, load, note, section, table } from './lib';

const DEFAULT_SEED = 20261130;
const WATCHDOG_MS = 60_000;

function runOne(target: string, seed: number, count: number): Promise<FuzzResult> {
  const current = new SharedArrayBuffer(4);
  const task: WorkerTask = { target, seed, start: 0, count, hangMs: HANG_MS, current };
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./fuzz/worker-boot.mjs', import.meta.url), { workerData: task });
    let last = Date.now();
    let done = false;
    const dog = setInterval(() => {
      if (Date.now() - last < WATCHDOG_MS) return;
      done = true;
      clearInterval(dog);
      const index = Atomics.load(new Int32Array(current), 0) - 1;
      void w.terminate();
      resolve({
        parser: target,
        inputs: index + 1,
        seconds: NaN,
        perSecond: NaN,
        accepted: NaN,
        crashes: 0,
        hangs: 1,
        falseAccepts: 0,
        slowestMs: WATCHDOG_MS,
        findings: [{ kind: 'hang', seed, index, length: NaN, sha256: '(rebuild it from seed and index)', what: `no answer in ${WATCHDOG_MS / 1000} s: worker ended` }],
      });
    }, 1000);
    let quarter = 0;
    w.on('message', (m: { progress?: number; result?: FuzzResult }) => {
      last = Date.now();
      // A long run says how far it is, every quarter.
      if (m.progress !== undefined && m.progress >= ((quarter + 1) * count) / 4 && quarter < 3) {
        quarter++;
        console.log(`  ${target}: ${m.progress.toLocaleString('en')} of ${count.toLocaleString('en')} inputs · ${load()}`);
      }
      if (m.result) {
        done = true;
        clearInterval(dog);
        resolve(m.result);
      }
    });
    w.on('error', (e) => {
      clearInterval(dog);
      if (!done) reject(e);
    });
    w.on('exit', (code) => {
      clearInterval(dog);
      if (!done) reject(new Error(`fuzz worker for ${target} exited with code ${code}`));
    });
  });
}

export async function runFuzz(opts: { quick: boolean }): Promise<Record<string, unknown>> {
  const seed = Number(process.env.FUZZ_SEED ?? DEFAULT_SEED);
  const count = Number(process.env.FUZZ_INPUTS ?? (opts.quick ? 20_000 : 1_000_000));
  const names = process.env.FUZZ_ONLY ? process.env.FUZZ_ONLY.split(',').map((s) => s.trim()) : Object.keys(TARGETS);
  for (const n of names) if (!(n in TARGETS)) throw new Error(`FUZZ_ONLY: no parser "${n}" (${Object.keys(TARGETS).join(', ')})`);
  const parallel = Math.max(1, Math.min(cpus().length, names.length));
  section(`Fuzzing: ${count.toLocaleString('en')} mutated inputs per parser · seed ${seed} · ${parallel} worker threads · hang bound ${HANG_MS} ms`);

  const results = new Map<string, FuzzResult>();
  // The slowest parsers first, so the two workers finish close together.
  const SLOW_FIRST = ['changes', 'csv', 'bundle', 'gbv1', 'batch', 'receipt', 'gbv2', 'upload'];
  const queue = [...names].sort((a, b) => SLOW_FIRST.indexOf(a) - SLOW_FIRST.indexOf(b));
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        const r = await runOne(name, seed, count);
        results.set(name, r);
        console.log(`  ${r.parser}: ${r.inputs.toLocaleString('en')} inputs in ${fmt(r.seconds, 1)} s · ${load()}`);
      }
    }),
  );

  const rows = names.map((n) => results.get(n)!);
  table(
    `Fuzzing (target: 0 crashes, 0 hangs, 0 false accepts) · ${load()}`,
    ['parser', 'inputs', 'inputs/s', 'accepted', 'slowest ms', 'crashes', 'hangs', 'false accepts'],
    rows.map((r) => [r.parser, r.inputs.toLocaleString('en'), fmt(r.perSecond, 0), r.accepted, fmt(r.slowestMs, 1), String(r.crashes), String(r.hangs), String(r.falseAccepts)]),
  );
  const findings = rows.flatMap((r) => r.findings.map((f) => ({ parser: r.parser, ...f })));
  if (findings.length) {
    console.log('\n  findings (first 20 per parser; rebuild an input with bench/fuzz/mutate.ts mutant(target, seed, index)):');
    for (const f of findings) note(`${f.parser}: ${f.kind} · seed ${f.seed} · input ${f.index} · ${f.length} bytes · sha256 ${f.sha256} · ${f.what}`);
  }
  note('"accepted": mutated inputs the parser took (e.g. a voucher still VALID with its seed\'s claims);\nwhat a crash, a hang and a false accept are for each parser: bench/fuzz/targets/*.ts.');
  return { seed, count, parallel, parsers: Object.fromEntries(rows.map((r) => [r.parser, r])) };
}
