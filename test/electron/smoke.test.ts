/**
 * Electron smoke test (playwright-core's _electron): the real app starts, its
 * window is hardened and the contract reaches the core. It runs only where the
 * Electron runtime is installed (and, on Linux, a display is available);
 * elsewhere it is skipped and says why.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
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

const runtime = electronRuntime();
const skipReason = !runtime
  ? 'the Electron runtime is not installed (node_modules/electron/dist is missing, and it cannot be downloaded from npm)'
  : process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
    ? 'no display (on Linux run the tests under xvfb-run)'
    : null;
if (skipReason) console.log(`Electron smoke test skipped: ${skipReason}`);

/** Builds what is missing (npm start's --prepare step) and returns the Electron build of the database module (better-sqlite3-multiple-ciphers). */
function prepare(): string {
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

describe.skipIf(skipReason !== null)('Electron app', () => {
  let app: ElectronApplication;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    const binding = prepare();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vd-electron-'));
    const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    app = await electron.launch({
      executablePath: runtime!,
      // The project folder is the app (package.json "main" = out/electron/main.cjs).
      args: [ROOT, '--data-dir', dataDir, ...(runningAsRoot ? ['--no-sandbox'] : [])],
      cwd: ROOT,
      env: { ...process.env, VOUCHERDESK_SQLITE_BINDING: binding } as Record<string, string>,
    });
    page = await app.firstWindow();
    await page.waitForFunction('typeof window.voucherdesk === "object"');
  });

  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the VoucherDesk window', async () => {
    const title = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle());
    expect(title).toBe('VoucherDesk');
    expect(page.url()).toBe('app://voucherdesk/index.html');
  });

  it('reaches the core through the contract', async () => {
    const outcome = (await page.evaluate("window.voucherdesk.call('app.info', {})")) as { ok: boolean };
    expect(outcome).toMatchObject({ ok: true, value: expect.objectContaining({ device: expect.stringMatching(/^POS-/) }) });
    // A name outside the contract never leaves the page.
    expect(await page.evaluate("window.voucherdesk.call('fs.readFile', {})")).toMatchObject({ ok: false, error: { code: 'api.unknownCall' } });
  });

  it('gives the page no Node and no Electron', async () => {
    expect(await page.evaluate('typeof window.require')).toBe('undefined');
    expect(await page.evaluate('typeof process')).toBe('undefined');
    expect(await page.evaluate('typeof window.ipcRenderer')).toBe('undefined');
    expect(await page.evaluate('Object.keys(window.voucherdesk).sort().join(",")')).toBe('call,on');
  });

  it('opens no new windows', async () => {
    expect(await page.evaluate("window.open('https://example.com')")).toBeNull();
    expect(app.windows()).toHaveLength(1);
  });
});
