/**
 * `npm run bench -- --only soak [--quick]`: the crash soak.
 *
 * At least 100 `kill -9` of the real core process (main/core/process/main.ts
 * as a Node child) at random moments during redemptions, syncs with the
 * reference server and CRM imports; after each kill the core starts again on
 * the same data folder and the soak checks: every acknowledged operation is
 * there (lost), no voucher redeemed twice and an acknowledged one refused on a
 * re-scan (doubles), no import half in (torn), PRAGMA integrity_check ok and
 * a clean start (broken). Targets: 0 of each. `--quick` runs a few trials.
 *
 * The scenarios are a list (SCENARIOS); `only` (`--scenario <name>` on the
 * bench command line) runs some of them. "During the database encryption
 * migration" (bench/soak/migration.ts, 20 kills) kills the core while it
 * encrypts a clear database of the previous version in place at start.
 * bench/soak/inspect.ts is where the soak opens the database itself, with its key.
 */
import { loadavg } from 'node:os';
import { crmImportScenario } from './crm-import';
import { addTally, emptyTally, runScenario, type Scenario, type ScenarioFigures } from './driver';
import { migrationScenario } from './migration';
import { redemptionsScenario } from './redeem';
import { syncScenario } from './sync';
import { fmt, load, note, section, table, tempDir } from '../lib';

export interface ScenarioEntry {
  /** Kills in a full run and in a quick one. */
  trials: { full: number; quick: number };
  make(opts: { dir: string; trials: number }): Scenario;
}

export const SCENARIOS: Record<string, ScenarioEntry> = {
  redemptions: { trials: { full: 40, quick: 3 }, make: redemptionsScenario },
  syncs: { trials: { full: 30, quick: 3 }, make: syncScenario },
  crmImports: { trials: { full: 30, quick: 3 }, make: crmImportScenario },
  encryptionMigration: { trials: { full: 20, quick: 3 }, make: migrationScenario },
};

export interface SoakFigures {
  scenarios: ScenarioFigures[];
  total: ScenarioFigures;
  target: { lost: 0; doubles: 0; torn: 0; broken: 0; met: boolean };
  loadavg: number[];
  wallSeconds: number;
}

/** Runs the scenarios one after the other (each on its own folder), or `only` some, with `trials` overriding the counts. */
export async function soak(opts: { quick: boolean; only?: string[]; trials?: number; log?: (line: string) => void }): Promise<SoakFigures> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const out: ScenarioFigures[] = [];
  const names = opts.only ?? Object.keys(SCENARIOS);
  for (const name of names) {
    const entry = SCENARIOS[name];
    if (!entry) throw new Error(`no soak scenario ${name}`);
    const tmp = tempDir(`vd-soak-${name}-`);
    try {
      const trials = opts.trials ?? (opts.quick ? entry.trials.quick : entry.trials.full);
      const s = entry.make({ dir: tmp.dir, trials });
      const f = await runScenario(s, { onTrial: (i, t) => log(`  ${s.name}: kill ${i + 1}/${trials}: ${t.acknowledged ?? 0} acknowledged, ${t.lost ?? 0} lost, ${t.doubles ?? 0} doubles`) });
      out.push(f);
    } finally {
      tmp.cleanup();
    }
  }
  const total: ScenarioFigures = { scenario: 'total', kills: 0, diedOnItsOwn: 0, seconds: 0, ...emptyTally() };
  for (const f of out) {
    addTally(total, { ...f, notes: [] });
    total.kills += f.kills;
    total.diedOnItsOwn += f.diedOnItsOwn;
    total.seconds += f.seconds;
  }
  const met = total.lost === 0 && total.doubles === 0 && total.torn === 0 && total.broken === 0 && total.diedOnItsOwn === 0;
  return { scenarios: out, total, target: { lost: 0, doubles: 0, torn: 0, broken: 0, met }, loadavg: loadavg(), wallSeconds: (Date.now() - started) / 1000 };
}

/** `only`: some scenarios by name (`--scenario encryptionMigration`), all by default. */
export async function runSoak(opts: { quick: boolean; only?: string[] | undefined }): Promise<SoakFigures> {
  section(`Crash soak — kill -9 of the core process, restart on the same folder, check (${opts.quick ? 'quick: a few kills per scenario' : 'full'})`);
  const f = await soak({ quick: opts.quick, ...(opts.only ? { only: opts.only } : {}), log: (l) => console.log(l) });
  const row = (s: ScenarioFigures) => [s.scenario, String(s.kills), String(s.acknowledged), String(s.lost), String(s.doubles), String(s.torn), String(s.broken + s.diedOnItsOwn), fmt(s.seconds, 0)];
  table(
    'Crash soak (real core processes, encrypted SQLite WAL synchronous=FULL; the sync scenario uploads to the reference server on loopback)',
    ['scenario', 'kills', 'acknowledged', 'lost', 'doubles', 'torn', 'broken', 'seconds'],
    [...f.scenarios.map(row), row(f.total), ['target', '≥ 100 + 20 (full)', '', '0', '0', '0', '0', '']],
  );
  for (const s of f.scenarios) for (const n of s.notes) note(`${s.scenario}: ${n}`);
  note(
    `TARGETS: 0 lost, 0 doubles (and 0 torn, 0 broken): ${f.target.met ? 'MET' : 'NOT MET'} over ${f.total.kills} kills, ${f.total.acknowledged} acknowledged operations.\n` +
      'acknowledged: redemptions answered VALID, imports whose commit answered, before the kill (the migration: those in the clear database). lost: acknowledged, not there after the restart\n' +
      '(for syncs also: not held once by the server at the end). doubles: a voucher with two redemptions, or an acknowledged one accepted on a re-scan.\n' +
      'torn: an import neither wholly in nor wholly out. broken: integrity_check not ok, a start or re-scan that failed, the outbox not drained, a crash of its own.\n' +
      `machine load (os.loadavg 1/5/15 min) at the end: ${f.loadavg.map((l) => l.toFixed(2)).join(' / ')} · ${load()} · wall time ${fmt(f.wallSeconds, 0)} s`,
  );
  if (!f.target.met) throw new Error(`crash soak: ${f.total.lost} lost, ${f.total.doubles} doubles, ${f.total.torn} torn, ${f.total.broken + f.total.diedOnItsOwn} broken`);
  return f;
}
