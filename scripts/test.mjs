#!/usr/bin/env node
// `npm test`: type-check, lint, build the renderer for the end-to-end tests, then run every test.
// Extra arguments go to Vitest (e.g. `npm test -- test/core`).
import { spawnSync } from 'node:child_process';

const steps = [
  ['Type check', 'npx', ['tsc', '-b']],
  ['Lint', 'npx', ['eslint', '.', '--max-warnings=0']],
  ['Build the renderer', 'npm', ['run', '-s', 'build:web']],
  ['Tests', 'npx', ['vitest', 'run', ...process.argv.slice(2)]],
];

for (const [name, cmd, args] of steps) {
  process.stdout.write(`\n== ${name}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stdout.write(`\n${name} failed.\n`);
    process.exit(r.status ?? 1);
  }
}
