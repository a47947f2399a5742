/**
 * Small helpers shared by the benchmarks: percentiles, plain-text tables, the
 * machine line, temp folders and a throwaway merchant. Benchmarks print
 * figures; they never assert timings.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../main/core/log';
import { createCore } from '../main/core/services';
import { buildBundleJson } from '../server/issuer/bundle';
import { generateIssuerKey, generateMerchantKeys, type EncKeyType, type Merchant, type Platform, type SigningAlg } from '../server/issuer/keys';

export interface Stats {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

/** Percentiles by nearest rank over a copy of the samples (any unit). */
export function stats(samples: readonly number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return { n: 0, p50: NaN, p90: NaN, p99: NaN, min: NaN, max: NaN, mean: NaN };
  const at = (p: number) => s[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!;
  return { n, p50: at(50), p90: at(90), p99: at(99), min: s[0]!, max: s[n - 1]!, mean: s.reduce((a, b) => a + b, 0) / n };
}

/** A monotonic clock in microseconds. */
export const nowUs = (): number => Number(process.hrtime.bigint()) / 1000;

/** A number with sensible decimals for a table cell. */
export function fmt(v: number | null | undefined, decimals?: number): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  const d = decimals ?? (Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2);
  return v.toFixed(d);
}

/** Prints a table: the first column left-aligned, the others right-aligned. */
export function table(title: string, head: string[], rows: (string | number)[][]): void {
  const cells = [head, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${title}`);
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
}

export function note(text: string): void {
  for (const l of text.split('\n')) console.log(`  ${l}`);
}

/** The 1-minute load average, as text: figures taken on a busy machine say so. */
export function load(): string {
  const l = loadavg()[0]!;
  const cores = cpus().length;
  return `load average ${l.toFixed(2)} on ${cores} cores${l > cores * 0.5 ? ' (BUSY: other work competes; tails will be noisy)' : ''}`;
}

export function section(title: string): void {
  console.log(`\n${'='.repeat(78)}\n${title}\n${'='.repeat(78)}\n  ${load()} at start`);
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  platform: string;
  tmp: string;
}

export function machine(): Machine {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    tmp: tmpdir(),
  };
}

/** A fresh temp folder and a way to remove it. */
export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const ADMIN_PASSPHRASE = 'bench passphrase 1';

/** A throwaway platform and merchant (keys made with the issuer tool, as the tests do). */
export async function makeParties(opts: {
  enc: EncKeyType;
  sign: SigningAlg;
  merchantId?: string;
  tag?: string;
}): Promise<{ platform: Platform; merchant: Merchant }> {
  const tag = opts.tag ?? `${opts.enc}-${opts.sign}`.toLowerCase();
  const platform: Platform = {
    iss: 'gb.bench',
    name: 'Bench Group Buy',
    signing: await generateIssuerKey({ alg: opts.sign, kid: `gb-${tag}` }),
  };
  const keys = await generateMerchantKeys({ enc: opts.enc, kid: `m-${tag}` });
  const merchant: Merchant = {
    id: opts.merchantId ?? 'M-BENCH',
    name: 'Bench Shop',
    branch: { id: 'B01', name: 'Bench branch' },
    encryption: keys.encryption,
  };
  return { platform, merchant };
}

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const RENDERER_DIR = join(ROOT, 'out', 'renderer');

/** Builds the renderer when out/renderer is missing (the browser-host benchmarks need it). */
export function ensureRenderer(): { built: boolean } {
  if (existsSync(join(RENDERER_DIR, 'index.html'))) return { built: false };
  console.log('  out/renderer/index.html is missing: running npm run build:web …');
  const r = spawnSync('npm', ['run', '-s', 'build:web'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('npm run build:web failed; this benchmark needs the built renderer');
  return { built: true };
}

/**
 * A workstation in `dataDir` with the admin passphrase set and the merchant's
 * bundle imported, then closed, ready for a core process to open it.
 */
export async function setupBenchWorkstation(
  dataDir: string,
  parties: { platform: Platform; merchant: Merchant },
  opts: { device: string; settings?: Record<string, unknown> },
): Promise<void> {
  const core = await createCore({ dataDir, protector: { mode: 'passphrase' }, device: opts.device, logger: createLogger(dataDir) });
  try {
    await core.keystore.setupAdmin(ADMIN_PASSPHRASE);
    const { token } = core.admin.issue();
    const imported = await core.call('keystore.import', {
      adminToken: token,
      fileName: 'bundle.json',
      content: JSON.stringify(buildBundleJson(parties.merchant, [parties.platform])),
    });
    if (!imported.ok) throw new Error(`key import failed: ${imported.error.code}`);
    if (opts.settings) {
      const set = await core.call('settings.set', { adminToken: token, ...opts.settings });
      if (!set.ok) throw new Error(`settings failed: ${set.error.code}`);
    }
  } finally {
    core.close();
  }
}

/** Yields to the event loop (lets timers and I/O run between timed samples). */
export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
