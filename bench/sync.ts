/**
 * Sync with the reference server on loopback (`npm run bench -- --only sync`):
 * - upload: a workstation that was offline for long uploads its waiting
 *   events (100,000; --quick 5,000) — time and events/s (target < 20 s);
 * - download: a second workstation of the same merchant downloads and applies
 *   those redemptions as changes (target < 20 s);
 * - while each runs, the browser host's scan-to-verdict in Chromium on that
 *   same workstation (its core process does the sync): p99 target < 100 ms.
 * The workstations are real core processes; the server is `npm run server`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHost, type Host } from '../main/host/server';
import type { SyncStatus } from '../preload/contract';
import { seedPlatformVouchers, seedWaitingEvents } from '../test/sync/seed';
import { openDbFile } from '../test/support/workstation';
import { makePlatform, startServer, startStation, type ServerProc, type Station } from '../test/sync/support';
import { fmt, note, section, stats, table, tempDir, type Stats } from './lib';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
const RENDERER_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'renderer');
const GAP_MS = 50;

interface Probe {
  enterAt: number;
  before: string | undefined;
}
interface PageGlobals {
  __vdSyncBench?: Probe;
  addEventListener(type: 'keydown', fn: (e: { key: string }) => void, capture: boolean): void;
  document: { body: { dataset: Record<string, string | undefined> }; querySelector(s: string): { getAttribute(n: string): string | null } | null };
  performance: { now(): number };
}

async function openScanPage(station: Station): Promise<{ page: Page; browser: Browser; host: Host }> {
  const host = await startHost({ core: station.core.connection, rendererDir: RENDERER_DIR });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  await page.goto(host.url);
  await page.getByTestId('scan-input').waitFor({ state: 'visible', timeout: 20_000 });
  await page.locator('[data-testid="keystore-state"][data-state="unlocked"]').waitFor({ timeout: 20_000 });
  await page.getByTestId('scan-input').focus();
  await page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    const probe: Probe = { enterAt: 0, before: undefined };
    g.__vdSyncBench = probe;
    g.addEventListener(
      'keydown',
      (e) => {
        if (e.key !== 'Enter') return;
        probe.enterAt = g.performance.now();
        probe.before = g.document.body.dataset.lastVerdictAt;
      },
      true,
    );
  });
  return { page, browser, host };
}

/** Scans vouchers one after the other until `done` settles (at least `min`); the page's own Enter → verdict time. */
async function scanWhile(page: Page, texts: string[], done: Promise<unknown>, min: number): Promise<{ ms: number[]; verdicts: Record<string, number>; duringSync: number }> {
  let finished = false;
  void done.then(
    () => (finished = true),
    () => (finished = true),
  );
  const ms: number[] = [];
  const verdicts: Record<string, number> = {};
  let duringSync = 0;
  for (let i = 0; i < texts.length && (!finished || i < min); i++) {
    const inSync = !finished;
    await page.keyboard.insertText(texts[i]!);
    await page.keyboard.press('Enter');
    const h = await page.waitForFunction(
      () => {
        const g = globalThis as unknown as PageGlobals;
        const p = g.__vdSyncBench!;
        const stamp = g.document.body.dataset.lastVerdictAt;
        if (stamp === undefined || stamp === p.before || Number(stamp) < p.enterAt) return null;
        return { ms: Number(stamp) - p.enterAt, code: g.document.querySelector('[data-testid="verdict"]')?.getAttribute('data-verdict') ?? '?' };
      },
      undefined,
      { polling: 'raf', timeout: 30_000 },
    );
    const r = (await h.jsonValue()) as { ms: number; code: string };
    await h.dispose();
    verdicts[r.code] = (verdicts[r.code] ?? 0) + 1;
    if (i >= 3) {
      ms.push(r.ms);
      if (inSync) duringSync++;
    }
    await page.waitForTimeout(GAP_MS);
  }
  return { ms, verdicts, duringSync };
}

export interface SyncFigures {
  events: number;
  upload: { seconds: number; eventsPerSecond: number; target: { seconds: number; met: boolean } };
  download: { seconds: number; changesPerSecond: number; applied: number; target: { seconds: number; met: boolean } };
  scanDuringUpload: Stats & { duringSync: number };
  scanDuringDownload: Stats & { duringSync: number };
  scanTarget: { p99Ms: number; met: boolean };
}

export async function runSync(opts: { quick: boolean }): Promise<SyncFigures> {
  const n = opts.quick ? 5_000 : 100_000;
  const scans = opts.quick ? 40 : 150;
  section(`Sync with the reference server on loopback — ${n.toLocaleString('en')} events`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (apt-get install chromium)`);
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('the renderer is not built (npm run build:web)');

  const tmp = tempDir('vd-bench-sync-');
  let server: ServerProc | null = null;
  const stations: Station[] = [];
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const p = await makePlatform(tmp.dir, { vouchers: 2 * scans });
    const scanA = p.vouchers.slice(0, scans);
    const scanB = p.vouchers.slice(scans);
    const aDir = join(tmp.dir, 'a');
    const setupA = await startStation(aDir, p.bundles.B01);
    await setupA.core.stop();
    const seedStarted = Date.now();
    const jtis = seedPlatformVouchers(join(tmp.dir, 'srv', 'server.sqlite'), n);
    await seedWaitingEvents(join(aDir, 'voucherdesk.db'), jtis, { device: 'B01-POS1', branch: 'B01' });
    console.log(`  seeded ${n.toLocaleString('en')} waiting events and their vouchers in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

    server = await startServer(p);

    const a = await startStation(aDir);
    stations.push(a);
    const pageA = await openScanPage(a);
    closers.push(() => pageA.browser.close(), () => pageA.host.close());
    const upStarted = Date.now();
    const upload = a.call('sync.now', {}).then(() => Date.now() - upStarted);
    const scansUp = await scanWhile(pageA.page, scanA, upload, 20);
    const upMs = await upload;
    // Scans made during the upload add events after its last batch was taken; the upload that
    // follows each redemption sends them a moment later. Wait for that (bounded), then check.
    let stA = await a.call<SyncStatus>('sync.status', {});
    for (let i = 0; i < 100 && stA.waiting !== 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      stA = await a.call<SyncStatus>('sync.status', {});
    }
    if (stA.waiting !== 0) throw new Error(`${stA.waiting} events still waiting 10 s after the upload`);

    // B is set up only now (its own sync loop would otherwise download while A uploads):
    // its first sync downloads A's events. Its loop may start that download as soon as
    // the bundle is in; sync.now waits for a sync under way, so its end is the download's end.
    const b = await startStation(join(tmp.dir, 'b'), p.bundles.B02);
    stations.push(b);
    const remoteBefore = 0;
    const downStarted = Date.now();
    const download = b.call('sync.now', {}).then(() => Date.now() - downStarted);
    const pageB = await openScanPage(b);
    closers.push(() => pageB.browser.close(), () => pageB.host.close());
    const scansDown = await scanWhile(pageB.page, scanB, download, 20);
    const downMs = await download;
    const bDb = await openDbFile(join(tmp.dir, 'b'), { readonly: true });
    const applied = (bDb.prepare('SELECT count(*) AS n FROM events WHERE remote = 1').get() as { n: number }).n - remoteBefore;
    bDb.close();
    if (applied < n) throw new Error(`B applied only ${applied} of ${n} redemptions`);

    const su = stats(scansUp.ms);
    const sd = stats(scansDown.ms);
    table(
      'Upload and download (real core processes, reference server on loopback, SQLite)',
      ['measure', 'events', 'seconds', 'events/s', 'target'],
      [
        ['upload of waiting events (batches of 500)', n.toLocaleString('en'), fmt(upMs / 1000, 1), fmt(n / (upMs / 1000), 0), '< 20 s'],
        ['download and apply changes (pages of 2,000, applied 250 at a time)', applied.toLocaleString('en'), fmt(downMs / 1000, 1), fmt(applied / (downMs / 1000), 0), '< 20 s'],
      ],
    );
    table(
      'Scan to verdict in Chromium on the syncing workstation (ms, the page’s clock, Enter → verdict in the DOM)',
      ['while', 'n', 'of them during the sync', 'p50', 'p90', 'p99', 'max'],
      [
        ['upload runs (workstation A)', String(su.n), String(scansUp.duringSync), su.p50, su.p90, su.p99, su.max],
        ['download runs (workstation B)', String(sd.n), String(scansDown.duringSync), sd.p50, sd.p90, sd.p99, sd.max],
      ],
    );
    const p99 = Math.max(su.p99, sd.p99);
    note(
      `TARGETS: upload < 20 s: ${fmt(upMs / 1000, 1)} s — ${upMs < 20_000 ? 'MET' : 'NOT MET'}; download < 20 s: ${fmt(downMs / 1000, 1)} s — ${downMs < 20_000 ? 'MET' : 'NOT MET'}; ` +
        `scan p99 < 100 ms while syncing: ${fmt(p99, 1)} ms — ${p99 < 100 ? 'MET' : 'NOT MET'}.\n` +
        `Verdicts during upload: ${JSON.stringify(scansUp.verdicts)}; during download: ${JSON.stringify(scansDown.verdicts)}.\n` +
        'The scans continue after a sync ends only to reach 20 samples; "during the sync" counts those that started before it ended.\n' +
        'The server is the reference server (Fastify, SQLite, synchronous=FULL) on the same machine: its time is in the figures.',
    );
    return {
      events: n,
      upload: { seconds: upMs / 1000, eventsPerSecond: n / (upMs / 1000), target: { seconds: 20, met: upMs < 20_000 } },
      download: { seconds: downMs / 1000, changesPerSecond: applied / (downMs / 1000), applied, target: { seconds: 20, met: downMs < 20_000 } },
      scanDuringUpload: { ...su, duringSync: scansUp.duringSync },
      scanDuringDownload: { ...sd, duringSync: scansDown.duringSync },
      scanTarget: { p99Ms: p99, met: p99 < 100 },
    };
  } finally {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    for (const s of stations) await s.core.stop().catch(() => undefined);
    await server?.kill().catch(() => undefined);
    tmp.cleanup();
  }
}
