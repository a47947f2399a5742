/**
 * `npx tsx bench/fuzz/replay.ts <parser> <seed> <index>`: rebuilds one input of
 * a fuzz run from its seed and index, opens it again and prints the outcome and
 * the time taken (and the stack of a crash). Never prints the input itself.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { mutant } from './mutate';
import { TARGETS } from './targets/index';

const [name, seed, index] = process.argv.slice(2);
if (!name || !(name in TARGETS) || seed === undefined || index === undefined) {
  console.error(`usage: npx tsx bench/fuzz/replay.ts <${Object.keys(TARGETS).join('|')}> <seed> <index>`);
  process.exit(2);
}
const target = await TARGETS[name]!();
const input = mutant(target, Number(seed), Number(index));
console.log(`input ${index} of seed ${seed}: ${input.length} bytes, sha256 ${createHash('sha256').update(input).digest('hex').slice(0, 16)}`);
const t0 = performance.now();
try {
  const out = await target.open(input);
  console.log(`${(performance.now() - t0).toFixed(1)} ms: ${typeof out === 'string' ? out : `FALSE ACCEPT: ${out.falseAccept}`}`);
} catch (e) {
  console.log(`${(performance.now() - t0).toFixed(1)} ms: CRASH`);
  console.log(e instanceof Error ? (e.stack ?? e.message) : String(e));
}
await target.close?.();
