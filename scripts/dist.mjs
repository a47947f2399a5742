#!/usr/bin/env node
// `npm run dist [-- electron-builder options]`: builds the installers.
//
// electron-builder packs node_modules as they are, so better-sqlite3 must be
// built for Electron in place for the duration of the packaging. This script
// does that with @electron/rebuild limited to the database module
// (better-sqlite3-multiple-ciphers; serialport ships
// N-API prebuilds that must not be rebuilt), and always puts the Node build
// back afterwards, so tests and the CLI keep working. Build each OS's
// installers on that OS: native modules are not cross-compiled.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, SQLITE_MODULE, rebuildSqliteForElectron } from './electron-native.mjs';

function run(command, args, shell = false) {
  return spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', shell }).status === 0;
}

const built = process.env.npm_execpath
  ? run(process.execPath, [process.env.npm_execpath, 'run', '-s', 'build'])
  : run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '-s', 'build'], process.platform === 'win32');
if (!built) process.exit(1);

const sqliteBuild = path.join(ROOT, 'node_modules', SQLITE_MODULE, 'build');
const saved = fs.mkdtempSync(path.join(os.tmpdir(), 'voucherdesk-sqlite-node-'));
fs.cpSync(sqliteBuild, saved, { recursive: true });

let ok = false;
try {
  await rebuildSqliteForElectron(ROOT);
  const builder = path.join(ROOT, 'node_modules', 'electron-builder', 'cli.js');
  ok = run(process.execPath, [builder, '--config', 'electron-builder.yml', ...process.argv.slice(2)]);
} catch (error) {
  console.error(`VoucherDesk: could not rebuild ${SQLITE_MODULE} for Electron: ${error instanceof Error ? error.message : error}`);
} finally {
  // Put the Node build back.
  fs.rmSync(sqliteBuild, { recursive: true, force: true });
  fs.cpSync(saved, sqliteBuild, { recursive: true });
  fs.rmSync(saved, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
