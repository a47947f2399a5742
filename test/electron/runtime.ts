/**
 * The Electron runtime for the tests that start the real app: where it is, why
 * such a test is skipped here (printed), the build it needs, and a launch.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ELECTRON_DIR = path.join(ROOT, 'node_modules', 'electron');

/** The Electron executable, without require('electron') (which would try to download it). */
function electronRuntime(): string | null {
  try {
    const relative = fs.readFileSync(path.join(ELECTRON_DIR, 'path.txt'), 'utf8').trim();
    const binary = path.join(ELECTRON_DIR, 'dist', relative);
    return relative && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

export const runtime = electronRuntime();

/** Why the real app cannot run here, or null. */
export const skipReason = !runtime
  ? 'the Electron runtime is not installed (node_modules/electron/dist is missing, and it cannot be downloaded from npm)'
  : process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
    ? 'no display (on Linux run the tests under xvfb-run)'
    : null;

/** Builds what is missing (npm start's --prepare step) and returns the Electron build of the database module (better-sqlite3-multiple-ciphers). */
export function prepare(): string {
  const version = JSON.parse(fs.readFileSync(path.join(ELECTRON_DIR, 'package.json'), 'utf8')).version as string;
  const binding = path.join(ROOT, '.electron-native', version, 'node_modules', 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node');
  const built = fs.existsSync(path.join(ROOT, 'out', 'electron', 'main.cjs')) && fs.existsSync(path.join(ROOT, 'out', 'renderer', 'index.html'));
  if (built && fs.existsSync(binding)) return binding;
  const output = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'start-electron.mjs'), '--prepare'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = output.split('\n').find((l) => l.startsWith('VOUCHERDESK_SQLITE_BINDING='));
  if (!line) throw new Error(`npm start --prepare printed no binding path:\n${output}`);
  return line.slice('VOUCHERDESK_SQLITE_BINDING='.length).trim();
}

/** Starts the real app on a fresh data folder; `close` also removes the folder. */
export async function launchApp(): Promise<{ app: ElectronApplication; page: Page; dataDir: string; close(): Promise<void> }> {
  const binding = prepare();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vd-electron-'));
  const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const app = await electron.launch({
    executablePath: runtime!,
    // The project folder is the app (package.json "main" = out/electron/main.cjs).
    args: [ROOT, '--data-dir', dataDir, ...(runningAsRoot ? ['--no-sandbox'] : [])],
    cwd: ROOT,
    env: { ...process.env, VOUCHERDESK_SQLITE_BINDING: binding } as Record<string, string>,
  });
  const page = await app.firstWindow();
  await page.waitForFunction('typeof window.voucherdesk === "object"');
  return {
    app,
    page,
    dataDir,
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
