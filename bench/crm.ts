/**
 * `npm run bench -- --only crm [--quick]`
 *
 * 1. Member search in the core over 100,000 members (10,000 with --quick):
 *    name prefix, Chinese characters, partial phone; each through core.call
 *    (contract check included), p50/p99 per kind. Target p99 < 30 ms.
 * 2. The referral network picture with 5,000 people (1,000 with --quick) in the
 *    browser host (Chromium, sigma.js on WebGL — software GL here): time from
 *    opening the page to the first drawn frame (target < 2 s), and frame times
 *    while panning and zooming.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { createLogger } from '../main/core/log';
import { createCore, type Core } from '../main/core/services';
import { startCoreChild, type CoreChild } from '../main/host/core-child';
import { startHost, type Host } from '../main/host/server';
import { note, section, stats, table, tempDir, type Stats } from './lib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RENDERER_DIR = join(root, 'out', 'renderer');
const CHROMIUM = '/usr/bin/chromium';

/** What the page exposes (renderer/src/crm/NetworkView.tsx); the bench is type-checked without DOM types. */
interface PageGlobals {
  __vdNetwork?: {
    firstDrawMs: number;
    sigma: { getCamera(): { getState(): { x: number; y: number; ratio: number }; setState(s: { x: number; y: number; ratio: number }): void } } | null;
  };
  requestAnimationFrame(cb: () => void): number;
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗'];
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞', '小明', '建国', '志强'];
const LATIN_FIRST = ['Anna', 'Ben', 'Chloe', 'David', 'Emma', 'Frank', 'Grace', 'Henry', 'Ivy', 'Jack', 'Kevin', 'Lily', 'Mia', 'Noah', 'Olivia', 'Peter'];
const LATIN_LAST = ['Li', 'Wang', 'Zhang', 'Liu', 'Chen', 'Smith', 'Brown', 'Lee', 'Wong', 'Tan', 'Ng', 'Lim'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function fill(core: Core, n: number, rand: () => number): string[] {
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
  const ids: string[] = [];
  const at = Date.now();
  core.db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const latin = rand() < 0.25;
      const name = latin ? `${pick(LATIN_FIRST)} ${pick(LATIN_LAST)}` : pick(SURNAMES) + pick(GIVEN);
      const phone = `1${3 + Math.floor(rand() * 6)}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`;
      ids.push(core.crm.people.insert({ name, phone, tags: rand() < 0.1 ? ['vip'] : [] }, { member: true, at }).id);
    }
  })();
  return ids;
}

async function searchPart(quick: boolean): Promise<Record<string, Stats>> {
  const n = quick ? 10_000 : 100_000;
  const tmp = tempDir('vd-bench-crm-');
  const core = await createCore({ dataDir: tmp.dir, protector: { mode: 'passphrase' }, device: 'BENCH', logger: createLogger(tmp.dir) });
  try {
    const rand = rng(42);
    const t0 = performance.now();
    fill(core, n, rand);
    note(`${n.toLocaleString('en')} members inserted in ${((performance.now() - t0) / 1000).toFixed(1)} s (one transaction, with the trigram index)`);
    const phones = (core.db.prepare('SELECT phone_norm AS p FROM crm_people ORDER BY random() LIMIT 400').all() as { p: string }[]).map((r) => r.p);
    const kinds: Record<string, () => string> = {
      'name prefix (latin, 1-3 chars)': () => ['A', 'Be', 'Chl', 'Da', 'E', 'Fra', 'Gr', 'He', 'Iv', 'Jac', 'Li', 'Wa', 'Zh', 'Ol'][Math.floor(rand() * 14)]!,
      'name prefix (latin, full word)': () => `${LATIN_FIRST[Math.floor(rand() * LATIN_FIRST.length)]} ${LATIN_LAST[Math.floor(rand() * LATIN_LAST.length)]!.slice(0, 2)}`,
      'Chinese, 1 char (surname)': () => SURNAMES[Math.floor(rand() * SURNAMES.length)]!,
      'Chinese, 2 chars (inside a name)': () => ['小明', '建国', '志强', '秀英', '秀兰', '王芳', '李娜'][Math.floor(rand() * 7)]!,
      'Chinese, 3 chars (full name)': () => SURNAMES[Math.floor(rand() * SURNAMES.length)]! + ['小明', '建国', '志强', '秀英'][Math.floor(rand() * 4)]!,
      'partial phone (last 4)': () => phones[Math.floor(rand() * phones.length)]!.slice(-4),
      'partial phone (7 middle digits)': () => phones[Math.floor(rand() * phones.length)]!.slice(3, 10),
      'phone prefix (3 digits)': () => phones[Math.floor(rand() * phones.length)]!.slice(0, 3),
    };
    const reps = quick ? 60 : 300;
    const out: Record<string, Stats> = {};
    const rows: (string | number)[][] = [];
    for (const [kind, q] of Object.entries(kinds)) {
      for (let i = 0; i < 10; i++) await core.call('crm.search', { q: q() }); // warm-up
      const ms: number[] = [];
      let hits = 0;
      for (let i = 0; i < reps; i++) {
        const query = q();
        const s = performance.now();
        const r = await core.call('crm.search', { q: query, limit: 100 });
        ms.push(performance.now() - s);
        if (r.ok) hits += (r.value as { rows: unknown[] }).rows.length;
      }
      const st = stats(ms);
      out[kind] = st;
      rows.push([kind, st.n, st.p50, st.p90, st.p99, st.max, Math.round(hits / reps)]);
    }
    table(`Member search over ${n.toLocaleString('en')} members, ms per call (target p99 < 30)`, ['query', 'n', 'p50', 'p90', 'p99', 'max', 'rows'], rows);
    return out;
  } finally {
    core.close();
    tmp.cleanup();
  }
}

async function networkPart(quick: boolean): Promise<Record<string, unknown>> {
  if (!existsSync(CHROMIUM) || !existsSync(join(RENDERER_DIR, 'index.html'))) {
    note('network picture: skipped (needs /usr/bin/chromium and npm run build:web)');
    return { skipped: true };
  }
  const people = quick ? 1000 : 5000;
  const tmp = tempDir('vd-bench-crmnet-');
  let child: CoreChild | null = null;
  let host: Host | null = null;
  let browser: Browser | null = null;
  try {
    // The CRM is filled in this process, then the real core process opens the same file.
    const core = await createCore({ dataDir: tmp.dir, protector: { mode: 'passphrase' }, device: 'BENCH', logger: createLogger(tmp.dir) });
    const rand = rng(7);
    const ids = fill(core, people, rand);
    const at = Date.now();
    core.db.transaction(() => {
      for (let i = 1; i < ids.length; i++) {
        // Most were brought by someone; the others shared a voucher with someone: everyone is in the picture.
        if (rand() < 0.9) core.crm.people.linkAdd(ids[i]!, ids[Math.floor(rand() * i)]!, 'referred_by', at);
        else core.crm.people.linkAdd(ids[i]!, ids[Math.floor(rand() * i)]!, 'shared', at);
        if (rand() < 0.05) core.crm.people.linkAdd(ids[i]!, ids[Math.floor(rand() * ids.length)]!, 'shared', at);
      }
      core.db.prepare('UPDATE crm_people SET spend = abs(random() % 200000)').run();
    })();
    const graph = core.crm.referrals.graph();
    core.close();

    child = await startCoreChild({ dataDir: tmp.dir, device: 'BENCH-POS' });
    host = await startHost({ core: child.connection, rendererDir: RENDERER_DIR });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--no-first-run'] });
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
    await page.goto(host.url);
    await page.getByTestId('tab-members').click();
    const draws: number[] = [];
    const runs = quick ? 2 : 4;
    for (let i = 0; i < runs; i++) {
      await page.getByTestId('crm-nav-list').click();
      await page.evaluate(() => delete (globalThis as unknown as PageGlobals).__vdNetwork);
      const s = Date.now();
      await page.getByTestId('crm-nav-network').click();
      await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__vdNetwork !== undefined, undefined, { timeout: 60_000 });
      const inPage = await page.evaluate(() => (globalThis as unknown as PageGlobals).__vdNetwork!.firstDrawMs);
      draws.push(Math.max(inPage, Date.now() - s));
    }
    // Pan (mouse drag) and zoom (wheel) like a person does, timing every animation frame meanwhile.
    // (A string, so the bundler's helpers for named functions do not end up in the page.)
    await page.evaluate(`(() => {
      window.__frames = [];
      window.__framesOn = true;
      let last = performance.now();
      const tick = () => {
        const now = performance.now();
        window.__frames.push(now - last);
        last = now;
        if (window.__framesOn) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })()`);
    const box = (await page.getByTestId('crm-network-canvas').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const rounds = quick ? 2 : 6;
    for (let r = 0; r < rounds; r++) {
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      for (let i = 1; i <= 20; i++) await page.mouse.move(cx + Math.sin(i / 3) * 150, cy + i * 6, { steps: 2 });
      await page.mouse.up();
      for (let i = 0; i < 10; i++) {
        await page.mouse.wheel(0, r % 2 ? 120 : -120);
        await page.waitForTimeout(30);
      }
    }
    const frames = (await page.evaluate('(() => { window.__framesOn = false; return window.__frames.slice(1); })()')) as number[];
    const d = stats(draws);
    const f = stats(frames);
    table(
      `Referral network picture: ${graph.nodes.length} people, ${graph.edges.length} links (Chromium, software WebGL)`,
      ['measure', 'n', 'p50', 'p90', 'p99', 'max'],
      [
        ['open page → first frame, ms (target < 2000)', d.n, d.p50, d.p90, d.p99, d.max],
        ['frame while dragging/wheel-zooming, ms', f.n, f.p50, f.p90, f.p99, f.max],
      ],
    );
    note(`${Math.round(1000 / f.p50)} fps at the median frame; SwiftShader renders on the CPU of this shared machine (a GPU draws far faster).`);
    return { people: graph.nodes.length, links: graph.edges.length, firstDraw: d, frames: f };
  } finally {
    await browser?.close();
    await host?.close();
    await child?.stop();
    tmp.cleanup();
  }
}

export async function runCrm({ quick }: { quick: boolean }): Promise<Record<string, unknown>> {
  section('Member CRM: search in the core, the referral network picture in the browser host');
  const search = await searchPart(quick);
  const network = await networkPart(quick);
  return { search, network };
}
