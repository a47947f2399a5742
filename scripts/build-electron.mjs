#!/usr/bin/env node
// Bundles the Node-side code for Electron with esbuild:
//   main/electron/main.ts    -> out/electron/main.cjs    (Electron main process)
//   preload/index.ts         -> out/electron/preload.cjs (sandboxed preload: may only require 'electron')
//   main/core/process/main.ts -> out/core/main.cjs       (the core, run as a utilityProcess)
// Native modules stay external: they are loaded from node_modules at run time.
// The renderer is built separately (npm run build:web -> out/renderer).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const native = ['better-sqlite3', 'better-sqlite3-multiple-ciphers', 'serialport', '@serialport/*'];

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22', // Electron 45 ships Node 22
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
};

const targets = [
  { entryPoints: ['main/electron/main.ts'], outfile: 'out/electron/main.cjs', external: ['electron', ...native] },
  // Minified: it carries the contract (and zod) into every page load.
  { entryPoints: ['preload/index.ts'], outfile: 'out/electron/preload.cjs', external: ['electron'], platform: 'browser', target: 'chrome140', minify: true },
  { entryPoints: ['main/core/process/main.ts'], outfile: 'out/core/main.cjs', external: [...native] },
];

try {
  await Promise.all(targets.map((t) => build({ ...common, ...t })));
} catch {
  // esbuild has already printed the errors.
  process.exit(1);
}
