// Helpers shared by `npm start` (start-electron.mjs) and `npm run dist` (dist.mjs):
// where the Electron runtime is, and the database module built for Electron's ABI.
// The database module is better-sqlite3-multiple-ciphers (better-sqlite3 with
// SQLCipher-compatible encryption: the workstation database is encrypted at rest).
//
// better-sqlite3 uses the V8 API, so a build for Node does not load in
// Electron and the other way round. Tests and the CLI run under Node, so
// `npm start` never touches node_modules/better-sqlite3: it keeps an Electron
// build in .electron-native/<electron version>/ and tells the core where it is
// (VOUCHERDESK_SQLITE_BINDING). Only better-sqlite3 is rebuilt: serialport
// ships N-API prebuilds that work in Electron as they are.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ELECTRON_DIR = path.join(ROOT, 'node_modules', 'electron');
export const SQLITE_MODULE = 'better-sqlite3-multiple-ciphers';
const SQLITE_DIR = path.join(ROOT, 'node_modules', SQLITE_MODULE);
export const SQLITE_NODE_FILE = path.join('build', 'Release', 'better_sqlite3.node');

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

export function electronVersion() {
  return readJson(path.join(ELECTRON_DIR, 'package.json')).version;
}

/** The Electron executable, or null when the runtime has not been downloaded. */
export function electronBinary() {
  try {
    const relative = fs.readFileSync(path.join(ELECTRON_DIR, 'path.txt'), 'utf8').trim();
    const binary = path.join(ELECTRON_DIR, 'dist', relative);
    return relative && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Rebuilds better-sqlite3 under `buildPath` (a folder with package.json and node_modules) for Electron. */
export async function rebuildSqliteForElectron(buildPath) {
  const { rebuild } = await import('@electron/rebuild');
  // A prebuilt binary is downloaded when one exists for this Electron; else it is compiled.
  await rebuild({
    buildPath,
    electronVersion: electronVersion(),
    arch: process.arch,
    onlyModules: [SQLITE_MODULE],
    force: true,
    mode: 'sequential',
  });
}

/**
 * Makes sure .electron-native/<version>/ holds better-sqlite3 built for this
 * Electron, and returns the path of its .node file. Rebuilds only when the
 * Electron or better-sqlite3 version, platform or arch changed.
 */
export async function ensureElectronSqlite(log = console.log) {
  const version = electronVersion();
  const sqliteVersion = readJson(path.join(SQLITE_DIR, 'package.json')).version;
  const dir = path.join(ROOT, '.electron-native', version);
  const moduleDir = path.join(dir, 'node_modules', SQLITE_MODULE);
  const nodeFile = path.join(moduleDir, SQLITE_NODE_FILE);
  const stampFile = path.join(dir, 'stamp.json');
  const stamp = { electron: version, [SQLITE_MODULE]: sqliteVersion, platform: process.platform, arch: process.arch };

  try {
    if (fs.existsSync(nodeFile) && JSON.stringify(readJson(stampFile)) === JSON.stringify(stamp)) return nodeFile;
  } catch {
    // No stamp yet: build below.
  }

  log(`VoucherDesk: preparing the database module for Electron ${version} (once)…`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(moduleDir), { recursive: true });
  // A copy of the package without the Node build; its dependencies resolve from the project's node_modules.
  fs.cpSync(SQLITE_DIR, moduleDir, {
    recursive: true,
    filter: (src) => !path.relative(SQLITE_DIR, src).split(path.sep).includes('build'),
  });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    `${JSON.stringify({ name: 'voucherdesk-electron-native', private: true, dependencies: { [SQLITE_MODULE]: sqliteVersion } }, null, 2)}\n`,
  );
  await rebuildSqliteForElectron(dir);
  if (!fs.existsSync(nodeFile)) throw new Error(`the rebuild produced no ${SQLITE_NODE_FILE}`);
  fs.writeFileSync(stampFile, `${JSON.stringify(stamp)}\n`);
  return nodeFile;
}
