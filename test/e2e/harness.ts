import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startCoreChild, type CoreChild } from '../../main/host/core-child';
import { startHost, type Host } from '../../main/host/server';
import { tempDir } from '../support/workstation';

/**
 * The end-to-end rig: a real core process on a real SQLite file, the real
 * browser host, and Debian's Chromium driven by playwright-core.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const RENDERER = resolve(__dirname, '..', '..', 'out', 'renderer');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

export interface Rig {
  dataDir: string;
  core: CoreChild;
  host: Host;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export function e2eMissing(): string | null {
  if (!existsSync(CHROMIUM)) return `Chromium is not at ${CHROMIUM} (apt-get install chromium)`;
  if (!existsSync(join(RENDERER, 'index.html'))) return 'the renderer is not built (npm run build:web; npm test does it)';
  return null;
}

/** A workstation made ready through the core before the page opens: admin passphrase, bundle, settings. */
export interface RigSetup {
  passphrase: string;
  /** The bundle as the platform hands it: clear JSON, or sealed with `bundlePassphrase`. */
  bundleJson: string;
  bundlePassphrase?: string;
  settings?: Record<string, unknown>;
}

async function callCore(core: CoreChild, name: string, input: unknown): Promise<unknown> {
  const out = await core.connection.call(name, input);
  if (!out.ok) throw new Error(`${name} failed: ${out.error.code} ${out.error.message}`);
  return out.value;
}

export async function startRig(
  opts: { dataDir?: string; locale?: string; args?: string[]; setup?: RigSetup; /** Extra environment of the core process. */ coreEnv?: NodeJS.ProcessEnv } = {},
): Promise<Rig> {
  const tmp = opts.dataDir ? null : tempDir('vd-e2e-');
  const dataDir = opts.dataDir ?? join(tmp!.dir, 'data');
  const core = await startCoreChild({ dataDir, ...(opts.coreEnv ? { env: opts.coreEnv } : {}) });
  if (opts.setup) {
    const { token } = (await callCore(core, 'admin.setup', { passphrase: opts.setup.passphrase })) as { token: string };
    const sealed = opts.setup.bundlePassphrase ? { bundlePassphrase: opts.setup.bundlePassphrase } : {};
    await callCore(core, 'keystore.import', { adminToken: token, fileName: 'bundle.json', content: opts.setup.bundleJson, ...sealed });
    // The cashier name is the admin's to set.
    if (opts.setup.settings) await callCore(core, 'settings.set', { adminToken: token, ...opts.setup.settings });
  }
  const host = await startHost({ core: core.connection, rendererDir: RENDERER });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...(opts.args ?? [])] });
  const context = await browser.newContext({ locale: opts.locale ?? 'en-US', viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(host.url);
  return {
    dataDir,
    core,
    host,
    browser,
    page,
    async close() {
      await browser.close();
      await host.close();
      await core.stop();
      tmp?.cleanup();
    },
  };
}

/**
 * A rig whose Chromium plays `y4m` as its camera: the camera allowed for the
 * host, then the page loaded again (after `beforeReload`, e.g. to watch its
 * requests) and waited for until the key store shows unlocked.
 */
export async function startCameraRig(
  y4m: string,
  opts: { setup: RigSetup; coreEnv?: NodeJS.ProcessEnv; beforeReload?: (rig: Rig) => void },
): Promise<Rig> {
  const rig = await startRig({
    args: ['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`, '--use-fake-ui-for-media-stream'],
    setup: opts.setup,
    ...(opts.coreEnv ? { coreEnv: opts.coreEnv } : {}),
  });
  await rig.page.context().grantPermissions(['camera'], { origin: rig.host.url });
  opts.beforeReload?.(rig);
  await rig.page.reload();
  await rig.page.locator('[data-testid="keystore-state"][data-state="unlocked"]').waitFor({ timeout: 20_000 });
  return rig;
}
