/**
 * Reports on a big ledger: a fresh workstation (real core, real SQLite file)
 * with 100,000 events (redemptions by 6 cashiers of 20 products over 90 days,
 * some undone), then the time of each history page and summary through the
 * core (`reports.history`, `reports.summary`) next to the same query forced
 * to read the whole table (`events NOT INDEXED`).
 */
import { createLogger } from '../main/core/log';
import { createCore, type Core } from '../main/core/services';
import { dayWindow } from '../common/time/day';
import { fmt, note, nowUs, section, stats, table, tempDir } from './lib';

const CASHIERS = ['amy', 'bob', 'chen', 'dan', 'eve', 'fei'];
const DAY = 86_400_000;

function fill(core: Core, n: number, start: number): void {
  const skus = Array.from({ length: 20 }, (_, i) => `SKU-${i}`);
  core.catalog.importProducts('p.csv', 'sku,name,price\n' + skus.map((s, i) => `${s},商品 ${i},${100 * (i + 1)}`).join('\n'));
  const step = Math.floor((90 * DAY) / n);
  core.ledger.exclusive(() => {
    for (let i = 0; i < n; i++) {
      const e = core.ledger.appendRedemption({
        terms: { iss: 'gb.bench', jti: `V${String(i).padStart(7, '0')}`, kind: 'item', face: 5, cur: null, maxUses: null },
        mid: 'M1',
        sku: skus[i % 20]!,
        take: 1 + (i % 3),
        at: start + i * step,
        device: 'POS-1',
        branch: 'B1',
        cashier: CASHIERS[i % 6]!,
      });
      if (i % 50 === 49) core.ledger.reverse(e.id, { at: start + i * step + 1000, device: 'POS-1', branch: 'B1', by: 'mgr', reason: 'bench' });
    }
  });
}

function time(fn: () => unknown, reps: number): number {
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = nowUs();
    fn();
    samples.push((nowUs() - t) / 1000);
  }
  return stats(samples).p50;
}

export async function runReports({ quick }: { quick: boolean }): Promise<Record<string, unknown>> {
  const n = quick ? 10_000 : 98_000; // + 1 undo per 50 = 100k events
  section(`Reports: the history and summaries on ${n + Math.floor(n / 50)} events`);
  const tmp = tempDir('vd-bench-reports-');
  const core = await createCore({ dataDir: tmp.dir, protector: { mode: 'passphrase' }, device: 'BENCH', logger: createLogger(tmp.dir) });
  try {
    const start = Date.parse('2026-08-01T00:00:00Z');
    const t0 = nowUs();
    fill(core, n, start);
    const events = (core.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    note(`filled ${events} events in ${fmt((nowUs() - t0) / 1e6)} s`);
    const day = dayWindow('2026-09-15', 'Asia/Shanghai');
    const reps = quick ? 5 : 20;
    // The same page, through the core's query (indexes) and read from the whole table.
    const where: [string, Record<string, unknown>, string][] = [
      ['newest 50, no filter', {}, '1'],
      ['a cashier', { cashier: 'chen' }, "e.cashier = 'chen'"],
      ['a product', { sku: 'SKU-7' }, "e.sku = 'SKU-7'"],
      ['one day (Shanghai)', { from: day.from, to: day.to }, `e.at >= ${day.from} AND e.at < ${day.to}`],
      ['a cashier and a product, one day', { cashier: 'chen', sku: 'SKU-6', from: day.from, to: day.to }, `e.cashier = 'chen' AND e.sku = 'SKU-6' AND e.at >= ${day.from} AND e.at < ${day.to}`],
      ['part of a voucher id', { voucher: 'V00123' }, "instr(lower(e.iss || '/' || e.jti), 'v00123') > 0"],
      ['undone (reversals)', { kind: 'reversal' }, "e.type = 'reversal'"],
    ];
    const scan = (sql: string) => () => core.db.prepare(`SELECT e.* FROM events e NOT INDEXED LEFT JOIN products p ON p.sku = e.sku WHERE ${sql} ORDER BY e.at DESC, e.seq DESC LIMIT 51`).all();
    const rows: (string | number)[][] = [];
    const figures: Record<string, { indexedMs: number; scanMs: number }> = {};
    for (const [name, filter, sql] of where) {
      const indexedMs = time(() => core.handlers['reports.history']({ ...filter, limit: 50 } as never, {}), reps);
      const scanMs = time(scan(sql), Math.max(3, reps / 4));
      figures[name] = { indexedMs, scanMs };
      rows.push([name, indexedMs, scanMs]);
    }
    const deepMs = time(() => core.handlers['reports.history']({ limit: 50, after: { at: start + 10 * DAY, seq: 1 } } as never, {}), reps);
    rows.push(['a page deep in the past (keyset)', deepMs, '–']);
    const sumDay = time(() => core.handlers['reports.summary']({ from: day.from, to: day.to } as never, {}), reps);
    const sumDayScan = time(
      () => core.db.prepare(`SELECT e.sku, count(*) FROM events e NOT INDEXED LEFT JOIN products p ON p.sku = e.sku WHERE e.at >= ${day.from} AND e.at < ${day.to} GROUP BY e.sku`).all(),
      Math.max(3, reps / 4),
    );
    const sumMonth = time(() => core.handlers['reports.summary']({ from: start, to: start + 30 * DAY } as never, {}), Math.max(3, reps / 4));
    rows.push(['summary of a day (per product, per cashier)', sumDay, sumDayScan]);
    rows.push(['summary of 30 days', sumMonth, '–']);
    table('reports.history / reports.summary, median ms', ['query', 'with indexes (ms)', 'whole-table scan (ms)'], rows);
    return { events, figures, deepPageMs: deepMs, summaryDayMs: sumDay, summaryDayScanMs: sumDayScan, summary30DaysMs: sumMonth };
  } finally {
    core.close();
    tmp.cleanup();
  }
}
