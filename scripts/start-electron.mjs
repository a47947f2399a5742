#!/usr/bin/env node
// `npm start [-- --data-dir DIR]`: runs VoucherDesk in Electron.
//
//   1. Make sure the Electron runtime is there (download it if it is not).
//   2. Make sure the database module (better-sqlite3-multiple-ciphers) is built for Electron (kept apart from the Node build).
//   3. Build the app (npm run build).
//   4. Start Electron.
//
// `--prepare` does steps 1-3 and prints the database module's path instead of starting.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, electronBinary, ensureElectronSqlite } from './electron-native.mjs';

const NO_RUNTIME =
  'VoucherDesk: the Electron runtime is not installed and could not be downloaded on this machine — run the browser host instead: npm run start:web';

const args = process.argv.slice(2);
const prepareOnly = args.includes('--prepare');
const appArgs = args.filter((a) => a !== '--prepare');
const verbose = process.env.VOUCHERDESK_VERBOSE === '1';

function fail(message) {
  console.error(message);
  process.exit(1);
}

// 1. The runtime. The electron package downloads it on first use, from outside npm.
let binary = electronBinary();
if (!binary) {
  spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'electron', 'install.js')], {
    cwd: ROOT,
    stdio: verbose ? 'inherit' : 'ignore',
    timeout: 120_000,
  });
  binary = electronBinary();
  if (!binary) fail(NO_RUNTIME);
}

// 2. The database module for Electron's ABI.
let sqliteBinding;
try {
  sqliteBinding = await ensureElectronSqlite();
} catch (error) {
  fail(
    `VoucherDesk: could not build the database module (better-sqlite3-multiple-ciphers) for Electron: ${error instanceof Error ? error.message : error}` +
      ' — run the browser host instead: npm run start:web',
  );
}

// 3. Build.
const npm = process.env.npm_execpath
  ? { command: process.execPath, args: [process.env.npm_execpath] }
  : { command: process.platform === 'win32' ? 'npm.cmd' : 'npm', args: [] };
const built = spawnSync(npm.command, [...npm.args, 'run', '-s', 'build'], {
  cwd: ROOT,
  stdio: 'inherit',
  shell: process.platform === 'win32' && !process.env.npm_execpath,
});
if (built.status !== 0) fail('VoucherDesk: the build failed (see above).');

if (prepareOnly) {
  console.log(`VOUCHERDESK_SQLITE_BINDING=${sqliteBinding}`);
  process.exit(0);
}

// 4. Start. The project folder is the app: package.json's "main" is out/electron/main.cjs.
const env = { ...process.env, VOUCHERDESK_SQLITE_BINDING: sqliteBinding };
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(binary, [ROOT, ...appArgs], { cwd: ROOT, stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
