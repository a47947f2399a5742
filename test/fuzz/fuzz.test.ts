/**
 * A short run of the fuzz benchmark (bench/fuzz.ts): 2,000 mutated inputs per
 * parser through the same harness, targets and mutator, with the benchmark's
 * seed: no crash, no hang, no false accept. What each of those means for each
 * parser is written at the top of its file in bench/fuzz/targets/.
 * The full run (1,000,000 per parser): `npm run bench -- --only fuzz`.
 */
import { describe, expect, it } from 'vitest';
import { fuzz, HANG_MS, type FuzzResult } from '../../bench/fuzz/harness';
import { TARGETS } from '../../bench/fuzz/targets/index';

const SEED = 20261130;
const INPUTS = 2_000;

async function run(name: string): Promise<FuzzResult> {
  const target = await TARGETS[name]!();
  try {
    return await fuzz(target, { count: INPUTS, seed: SEED, hangMs: HANG_MS });
  } finally {
    await target.close?.();
  }
}

/** The figures and, when one is not 0, the findings (seed, index, length, hash: never the input). */
const summary = (r: FuzzResult) => ({ inputs: r.inputs, crashes: r.crashes, hangs: r.hangs, falseAccepts: r.falseAccepts, findings: r.findings.slice(0, 5) });
const CLEAN = { inputs: INPUTS, crashes: 0, hangs: 0, falseAccepts: 0, findings: [] };

describe(`fuzzing, ${INPUTS.toLocaleString('en')} inputs per parser`, () => {
  for (const name of ['gbv1', 'gbv2', 'bundle', 'csv', 'upload', 'batch', 'receipt']) {
    it(`${name}: no crash, no hang, no false accept`, async () => {
      expect(summary(await run(name))).toEqual(CLEAN);
    });
  }

  // The page of changes: it found two defects, both fixed (issue 11, defect 4, and
  // test/fuzz/sync-bad-issuer-key.test.ts).
  it('changes: no crash, no hang, no false accept', async () => {
    expect(summary(await run('changes'))).toEqual(CLEAN);
  });
});
