/**
 * Serial scanner to verdict: a socat pseudo-terminal pair (the scanner end
 * written by this benchmark, the app end opened by the core process with the
 * real serialport binding), the browser host and the real renderer in
 * Debian's Chromium. For each voucher the whole code plus CR is written to
 * the scanner end; the time runs from that write to the moment the verdict
 * for it reached the page's DOM (`body.dataset.lastVerdictAt`, stamped by the
 * renderer), converted to this process's clock with a measured offset.
 *
 * On the way: the core reads and frames the bytes, pushes `scanner.code`,
 * the host relays it over SSE, the page runs the Redeem screen's flow
 * (voucher.verify, then voucher.redeem) and renders the verdict.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startCoreChild, type CoreChild } from '../main/host/core-child';
import { startHost, type Host } from '../main/host/server';
import { claimsFor, createMinter } from '../server/issuer/mint';
import { socatMissing, startPair, type PtyPair } from '../test/scanners/socat';
import { ADMIN_PASSPHRASE, fmt, makeParties, note, section, stats, table, tempDir, type Stats, ensureRenderer, setupBenchWorkstation, RENDERER_DIR } from './lib';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
/** A counter has a person between two scans; each scan starts from a quiet page. */
const GAP_MS = 30;
const TARGET_P99_MS = 50;

interface PageGlobals {
  document: { body: { dataset: Record<string, string | undefined> }; querySelector(s: string): { getAttribute(n: string): string | null } | null };
  performance: { now(): number; timeOrigin: number };
}

const nodeNow = () => performance.timeOrigin + performance.now();

/** Page clock − this process's clock (epoch ms), from the quickest of several round trips. */
async function clockOffset(page: Page): Promise<{ offset: number; rtt: number }> {
  let best = { offset: 0, rtt: Infinity };
  for (let i = 0; i < 15; i++) {
    const t1 = nodeNow();
    const p = await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      return g.performance.timeOrigin + g.performance.now();
    });
    const t2 = nodeNow();
    if (t2 - t1 < best.rtt) best = { offset: p - (t1 + t2) / 2, rtt: t2 - t1 };
  }
  return best;
}

export interface SerialFigures {
  scans: number;
  warmup: number;
  verdictMs: Stats;
  phasesMs: { writeToCoreEvent: Stats; coreEventToVerdict: Stats };
  clock: { offsetMs: number; rttMs: number };
  verdicts: Record<string, number>;
  target: { p99Ms: number; met: boolean };
  codeLength: number;
}

export async function runSerial(opts: { quick: boolean }): Promise<SerialFigures> {
  const scans = opts.quick ? 200 : 500;
  const warmup = 10;
  section(`Serial scanner to verdict (socat pty → core → SSE → Chromium) — ${scans} vouchers after ${warmup} warm-up`);
  const noSocat = socatMissing();
  if (noSocat) throw new Error(noSocat);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (apt-get install chromium)`);
  ensureRenderer();

  const tmp = tempDir('vd-bench-serial-');
  let child: CoreChild | null = null;
  let host: Host | null = null;
  let browser: Browser | null = null;
  let pair: PtyPair | null = null;
  try {
    const { platform, merchant } = await makeParties({ enc: 'X25519', sign: 'EdDSA', tag: 'serial' });
    await setupBenchWorkstation(tmp.dir, { platform, merchant }, { device: 'BENCH-POS' });
    const minter = createMinter(platform, merchant.encryption.publicJwk);
    const texts: string[] = [];
    for (let i = 0; i < scans + warmup; i++) texts.push(await minter.mint(claimsFor('item', { iss: platform.iss, mid: merchant.id, sku: `SKU-${i % 20}` })));

    pair = await startPair(join(tmp.dir, 'ttyScanner'), join(tmp.dir, 'ttyApp'));
    child = await startCoreChild({ dataDir: tmp.dir, device: 'BENCH-POS' });
    const unlocked = await child.connection.call('keystore.unlock', { passphrase: ADMIN_PASSPHRASE });
    if (!unlocked.ok) throw new Error(`unlock failed: ${unlocked.error.code}`);
    let connected!: () => void;
    const isConnected = new Promise<void>((r) => (connected = r));
    let codeAt = 0;
    child.connection.onEvent((name, payload) => {
      if (name === 'scanner.state' && (payload as { state: string }).state === 'connected') connected();
      if (name === 'scanner.code') codeAt = nodeNow();
    });
    const conf = await child.connection.call('scanners.configure', { serial: { enabled: true, path: pair.app, frameEnd: 'CR' } });
    if (!conf.ok) throw new Error(`scanners.configure failed: ${conf.error.code}`);
    await Promise.race([isConnected, new Promise((_, rej) => setTimeout(() => rej(new Error('the serial reader did not connect')), 10_000))]);

    host = await startHost({ core: child.connection, rendererDir: RENDERER_DIR });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await browser.newPage();
    await page.goto(host.url);
    await page.getByTestId('scan-input').waitFor({ state: 'visible', timeout: 20_000 });
    await page.locator('[data-testid="keystore-state"][data-state="unlocked"]').waitFor({ timeout: 20_000 });
    // The scanner settings (and the SSE stream) are loaded once the router asked for them.
    await page.waitForTimeout(300);
    const clock = await clockOffset(page);

    const verdictMs: number[] = [];
    const toEvent: number[] = [];
    const eventToVerdict: number[] = [];
    const verdicts: Record<string, number> = {};
    let prevStamp: string | null = null;
    for (let i = 0; i < texts.length; i++) {
      codeAt = 0;
      const t0 = nodeNow();
      pair.write(texts[i]! + '\r');
      const handle = await page.waitForFunction(
        (prev) => {
          const g = globalThis as unknown as PageGlobals;
          const stamp = g.document.body.dataset.lastVerdictAt;
          if (stamp === undefined || stamp === prev) return null;
          const verdict = g.document.querySelector('[data-testid="verdict"]')?.getAttribute('data-verdict') ?? '?';
          return { stamp, at: g.performance.timeOrigin + Number(stamp), verdict };
        },
        prevStamp,
        { polling: 'raf', timeout: 15_000 },
      );
      const r = (await handle.jsonValue()) as { stamp: string; at: number; verdict: string };
      await handle.dispose();
      prevStamp = r.stamp;
      const shownAt = r.at - clock.offset;
      verdicts[r.verdict] = (verdicts[r.verdict] ?? 0) + 1;
      if (i >= warmup) {
        verdictMs.push(shownAt - t0);
        if (codeAt) {
          toEvent.push(codeAt - t0);
          eventToVerdict.push(shownAt - codeAt);
        }
      }
      await page.waitForTimeout(GAP_MS);
    }
    if ((verdicts.VALID ?? 0) !== texts.length) throw new Error(`expected every scan VALID, got ${JSON.stringify(verdicts)}`);

    const v = stats(verdictMs);
    const a = stats(toEvent);
    const b = stats(eventToVerdict);
    table(
      `Serial scan to verdict, ${v.n} scans (ms)`,
      ['measure', 'n', 'p50', 'p90', 'p99', 'max'],
      [
        ['write on the scanner end → verdict in the DOM', String(v.n), v.p50, v.p90, v.p99, v.max],
        ['  write → scanner.code at the host (pty, read, framing, IPC)', String(a.n), a.p50, a.p90, a.p99, a.max],
        ['  scanner.code → verdict (SSE, verify + redeem calls, render)', String(b.n), b.p50, b.p90, b.p99, b.max],
      ],
    );
    const met = v.p99 < TARGET_P99_MS;
    const len = texts[0]!.length;
    const wire = (baud: number) => fmt(((len + 1) * 10 * 1000) / baud, 0);
    note(
      `TARGET: serial to verdict p99 < ${TARGET_P99_MS} ms: ${fmt(v.p99, 1)} ms — ${met ? 'MET' : 'NOT MET'} (median ${fmt(v.p50, 1)} ms).\n` +
        `Clock: page − node offset ${fmt(clock.offset, 2)} ms, measured over a ${fmt(clock.rtt, 2)} ms round trip.\n` +
        `A pty has no baud rate: the clock starts when the whole code (${len} characters + CR) is written. A real line adds the\n` +
        `transmission itself: ${wire(9600)} ms at 9600 baud 8N1, ${wire(38400)} ms at 38400, ${wire(115200)} ms at 115200 — set a 2D scanner to 115200 for GBV1 codes.\n` +
        `Between scans: ${GAP_MS} ms pause. Headless Chromium, --disable-gpu. The page's flow is verify, then redeem (two calls).`,
    );
    return {
      scans: v.n,
      warmup,
      verdictMs: v,
      phasesMs: { writeToCoreEvent: a, coreEventToVerdict: b },
      clock: { offsetMs: clock.offset, rttMs: clock.rtt },
      verdicts,
      target: { p99Ms: v.p99, met },
      codeLength: len,
    };
  } finally {
    await browser?.close().catch(() => undefined);
    await host?.close().catch(() => undefined);
    await child?.stop().catch(() => undefined);
    await pair?.kill().catch(() => undefined);
    tmp.cleanup();
  }
}
