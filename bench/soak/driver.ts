/**
 * The crash soak's driver: for each scenario, start the core process on one
 * data folder, put it to work, `kill -9` it at a random moment, start it again
 * on the same folder and check what the kill left; repeat. A scenario says
 * what the work is and what must hold after a kill (bench/soak/*.ts); the
 * driver only kills, counts and adds up. A scenario "during the database
 * encryption migration" is one more `Scenario`: its `work` starts the process
 * that migrates (the victim), its `restart` checks the folder opens and holds
 * every row.
 */
import type { ChildProcess } from 'node:child_process';

/** What one check found (after a kill, or at the end). Counts add up over a scenario. */
export interface Tally {
  /** Operations the core answered ok before a kill (a redemption, an import). */
  acknowledged: number;
  /** Acknowledged operations not (wholly) there after the restart. */
  lost: number;
  /** A voucher redeemed twice, or an acknowledged one accepted again on a re-scan. */
  doubles: number;
  /** An operation neither wholly there nor wholly absent (an import half in). */
  torn: number;
  /** PRAGMA integrity_check not ok, or a start that failed. */
  broken: number;
  /** What a scenario wants to say about the run (never voucher text or personal data). */
  notes: string[];
}

export const emptyTally = (): Tally => ({ acknowledged: 0, lost: 0, doubles: 0, torn: 0, broken: 0, notes: [] });

export function addTally(into: Tally, t: Partial<Tally>): Tally {
  into.acknowledged += t.acknowledged ?? 0;
  into.lost += t.lost ?? 0;
  into.doubles += t.doubles ?? 0;
  into.torn += t.torn ?? 0;
  into.broken += t.broken ?? 0;
  into.notes.push(...(t.notes ?? []));
  return into;
}

/** The process a trial kills: a core child (main/host/core-child.ts) or any child with the same two fields. */
export interface Victim {
  child: ChildProcess;
  exited: Promise<unknown>;
}

export interface Scenario {
  /** As printed: what the kills land in. */
  readonly name: string;
  /** How many kills. */
  readonly trials: number;
  /** The kill lands uniformly within this many ms after the work started. */
  readonly killWithinMs: readonly [number, number];
  /** Makes the data folder (and whatever else the work needs: a server, vouchers). */
  setUp(): Promise<void>;
  /** Starts the core on the data folder and checks what the last kill left; counts acknowledgements made since the last check. */
  restart(): Promise<Partial<Tally>>;
  /** Starts the work the kill lands in; `running` settles when the victim is gone (the work goes on until then). */
  work(): Promise<{ victim: Victim; running: Promise<unknown> }>;
  /** After the last restart and check: what must hold at the end (an outbox drained, a server holding each event once). Stops what it started. */
  finish(): Promise<Partial<Tally>>;
  /** Removes folders and stops servers, also after a failure. */
  tearDown(): Promise<void>;
}

export interface ScenarioFigures extends Tally {
  scenario: string;
  /** Kills that landed on a live process. */
  kills: number;
  /** The victim died before the kill (a crash of its own): each is a failure. */
  diedOnItsOwn: number;
  seconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

/** Runs one scenario: setUp, then `trials` times work → kill -9 → restart and check, then finish. */
export async function runScenario(s: Scenario, opts: { random?: () => number; onTrial?: (i: number, t: Partial<Tally>) => void } = {}): Promise<ScenarioFigures> {
  const random = opts.random ?? Math.random;
  const started = Date.now();
  const tally = emptyTally();
  let kills = 0;
  let diedOnItsOwn = 0;
  try {
    await s.setUp();
    addTally(tally, await s.restart());
    for (let i = 0; i < s.trials; i++) {
      const { victim, running } = await s.work();
      const [lo, hi] = s.killWithinMs;
      await Promise.race([sleep(lo + random() * (hi - lo)), victim.exited]);
      if (alive(victim.child)) {
        victim.child.kill('SIGKILL');
        kills++;
      } else diedOnItsOwn++;
      await victim.exited;
      await running.catch(() => undefined);
      const t = await s.restart();
      opts.onTrial?.(i, t);
      addTally(tally, t);
    }
    addTally(tally, await s.finish());
  } finally {
    await s.tearDown();
  }
  return { scenario: s.name, kills, diedOnItsOwn, seconds: (Date.now() - started) / 1000, ...tally };
}
