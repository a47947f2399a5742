/**
 * The fuzz harness: feeds `count` mutated inputs to one parser and counts what
 * it did with each. A parser is wrapped as a Target whose `open` answers
 * 'refused' (its documented refusal: a verdict other than VALID, a UserError,
 * a SyncError, a BatchRefused…), 'accepted', or a false accept with the rule it
 * broke; anything it throws escaped the parser: a crash.
 *
 * A hang is one input taking longer than `hangMs`, measured around the call,
 * on the first try and on two more (a busy machine alone does not make one).
 * (A loop that never returns would stop the run itself: the benchmark runs each
 * parser in a worker and a watchdog ends one that stops reporting progress.)
 *
 * Reports name the run's seed and the input's index (from which mutate.ts
 * rebuilds the input), its length and a hash: never the input itself, which
 * may be a voucher or hold a key.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { mutant, type Corpus } from './mutate';

export type Outcome = 'refused' | 'accepted' | { falseAccept: string };

export interface Target extends Corpus {
  name: string;
  open(input: Buffer): Outcome | Promise<Outcome>;
  close?(): void | Promise<void>;
}

export interface Finding {
  kind: 'crash' | 'hang' | 'false accept';
  seed: number;
  index: number;
  length: number;
  sha256: string;
  /** The error's class and first line (never the input), the time taken, or the rule broken. */
  what: string;
}

export interface FuzzResult {
  parser: string;
  inputs: number;
  seconds: number;
  perSecond: number;
  accepted: number;
  crashes: number;
  hangs: number;
  falseAccepts: number;
  slowestMs: number;
  findings: Finding[];
}

export const HANG_MS = 1000;
const KEEP_FINDINGS = 20;

const hash = (b: Buffer): string => createHash('sha256').update(b).digest('hex').slice(0, 16);

/** The first line of an error, cut short: error messages of the parsers hold no input. */
function describeError(e: unknown): string {
  const name = e instanceof Error ? e.constructor.name : typeof e;
  const msg = e instanceof Error ? e.message : String(e);
  return `${name}: ${msg.split('\n')[0]!.slice(0, 100)}`;
}

export async function fuzz(
  target: Target,
  opts: { count: number; seed: number; hangMs?: number; start?: number; onProgress?: (done: number) => void },
): Promise<FuzzResult> {
  const hangMs = opts.hangMs ?? HANG_MS;
  const start = opts.start ?? 0;
  const res: FuzzResult = { parser: target.name, inputs: 0, seconds: 0, perSecond: 0, accepted: 0, crashes: 0, hangs: 0, falseAccepts: 0, slowestMs: 0, findings: [] };
  const note = (f: Omit<Finding, 'seed'>) => {
    if (res.findings.length < KEEP_FINDINGS) res.findings.push({ seed: opts.seed, ...f });
  };
  const t0 = performance.now();
  for (let index = start; index < start + opts.count; index++) {
    const input = mutant(target, opts.seed, index);
    const t = performance.now();
    let outcome: Outcome | null = null;
    let error: unknown = null;
    try {
      outcome = await target.open(input);
    } catch (e) {
      error = e ?? new Error('thrown without a value');
    }
    const ms = performance.now() - t;
    res.inputs++;
    if (ms > res.slowestMs) res.slowestMs = ms;
    if (ms > hangMs) {
      // On a busy machine a slow answer may be the machine: a hang is an input that stays
      // over the bound on two more tries (the fastest of the three counts).
      let fastest = ms;
      for (let retry = 0; retry < 2 && fastest > hangMs; retry++) {
        const t2 = performance.now();
        try {
          await target.open(input);
        } catch {
          // counted on the first try
        }
        fastest = Math.min(fastest, performance.now() - t2);
      }
      if (fastest > hangMs) {
        res.hangs++;
        note({ kind: 'hang', index, length: input.length, sha256: hash(input), what: `${fastest.toFixed(0)} ms (fastest of 3 tries)` });
      }
    }
    if (error !== null) {
      res.crashes++;
      note({ kind: 'crash', index, length: input.length, sha256: hash(input), what: describeError(error) });
    } else if (outcome === 'accepted') res.accepted++;
    else if (outcome !== 'refused' && outcome !== null) {
      res.falseAccepts++;
      note({ kind: 'false accept', index, length: input.length, sha256: hash(input), what: outcome.falseAccept });
    }
    if (opts.onProgress && (index & 1023) === 0) opts.onProgress(res.inputs);
  }
  res.seconds = (performance.now() - t0) / 1000;
  res.perSecond = res.inputs / Math.max(res.seconds, 1e-9);
  return res;
}

/** Adds up the results of several slices of one parser's run. */
export function merge(parts: FuzzResult[]): FuzzResult {
  const first = parts[0]!;
  const out: FuzzResult = { ...first, findings: [...first.findings] };
  for (const p of parts.slice(1)) {
    out.inputs += p.inputs;
    out.accepted += p.accepted;
    out.crashes += p.crashes;
    out.hangs += p.hangs;
    out.falseAccepts += p.falseAccepts;
    out.seconds = Math.max(out.seconds, p.seconds);
    out.slowestMs = Math.max(out.slowestMs, p.slowestMs);
    out.findings.push(...p.findings);
  }
  out.perSecond = out.inputs / Math.max(out.seconds, 1e-9);
  return out;
}
