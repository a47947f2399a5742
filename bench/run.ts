/**
 * `npm run bench [-- --only formats|verify|ledger|scan|…|fuzz|soak] [-- --quick]`
 *
 * Runs the benchmarks, prints their figures as tables, and writes them as JSON
 * to bench/results/latest.json. `--quick` uses small sizes (CI smoke, local
 * checks); the figures that count come from a full run on a quiet machine.
 * Benchmarks print figures; they do not fail on a slow figure (the targets
 * are printed next to them). They exit non-zero only when a part broke.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { load, machine } from './lib';

const PARTS = ['formats', 'verify', 'ledger', 'scan', 'decode', 'camera', 'serial', 'server', 'sync', 'crm', 'fuzz', 'soak', 'reports', 'stock'] as const;
type Part = (typeof PARTS)[number];

const here = dirname(fileURLToPath(import.meta.url));

function usage(msg: string): never {
  console.error(`bench: ${msg}\nusage: npm run bench -- [--only ${PARTS.join('|')}[,…]] [--quick] [--scenario <soak scenario>[,…]]`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: { only?: string; quick?: boolean; scenario?: string };
  try {
    ({ values } = parseArgs({ options: { only: { type: 'string' }, quick: { type: 'boolean', default: false }, scenario: { type: 'string' } }, strict: true }));
  } catch (e) {
    usage(e instanceof Error ? e.message : String(e));
  }
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...PARTS];
  for (const p of only) if (!(PARTS as readonly string[]).includes(p)) usage(`unknown part "${p}"`);
  const quick = values.quick === true;
  // The soak's scenarios (bench/soak/index.ts SCENARIOS) to run, all by default.
  const scenarios = values.scenario ? values.scenario.split(',').map((s) => s.trim()) : undefined;

  const m = machine();
  console.log('VoucherDesk benchmarks');
  console.log(`machine: ${m.cpu} · ${m.cores} cores · ${m.memoryGb} GB · node ${m.node} · ${m.platform} · temp dir ${m.tmp}`);
  console.log(load());
  console.log(`mode: ${quick ? 'QUICK (small sizes: a smoke run, not the figures that count)' : 'full'} · parts: ${only.join(', ')}`);

  const results: Record<string, unknown> = {};
  const failures: string[] = [];
  const started = Date.now();
  for (const part of only as Part[]) {
    const t = Date.now();
    try {
      const mod =
        part === 'formats' ? await import('./formats').then((x) => x.runFormats) :
        part === 'sync' ? await import('./sync').then((x) => x.runSync) :
        part === 'stock' ? await import('./stock').then((x) => x.runStock) :
        part === 'fuzz' ? await import('./fuzz').then((x) => x.runFuzz) :
        part === 'soak' ? await import('./soak/index').then((x) => (o: { quick: boolean }) => x.runSoak({ ...o, only: scenarios })) :
        part === 'crm' ? await import('./crm').then((x) => x.runCrm) :
        part === 'reports' ? await import('./reports').then((x) => x.runReports) :
        part === 'serial' ? await import('./serial').then((x) => x.runSerial) :
        part === 'server' ? await import('./server').then((x) => x.runServer) :
        part === 'decode' ? await import('./decode').then((x) => x.runDecode) : part === 'camera' ? await import('./camera').then((x) => x.runCamera) :
        part === 'verify' ? await import('./verify').then((x) => x.runVerify) : part === 'ledger' ? await import('./ledger').then((x) => x.runLedger) : await import('./scan').then((x) => x.runScan);
      results[part] = { ...(await mod({ quick })), loadAtEnd: load() };
    } catch (e) {
      failures.push(part);
      results[part] = { error: e instanceof Error ? e.message : String(e) };
      console.error(`\n${part}: FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    console.log(`\n(${part} took ${((Date.now() - t) / 1000).toFixed(1)} s)`);
  }

  const out = join(here, 'results', 'latest.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), quick, machine: m, results }, null, 2) + '\n');
  console.log(`\nfigures written to ${out} · total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (failures.length) {
    console.error(`bench: these parts failed: ${failures.join(', ')}`);
    process.exitCode = 1;
  }
}

void main();
