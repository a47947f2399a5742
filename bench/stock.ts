/**
 * Campaign stock in strict mode (issue 15, `npm run bench -- --only stock`):
 * how many redemptions a workstation refused offline for want of allotment
 * ("sold out at this branch for now") while the campaign still had units left
 * somewhere, against the ideal: none. Under a few traffic mixes, each on a
 * fresh fleet: the reference server as a process (SQLite), three workstation
 * core processes each behind a proxy that cuts its network, a campaign of 200
 * (--quick: 60) and 1.5× as many vouchers as stock, scanned at random.
 *
 * "With stock left" is counted from the VALID answers the counters gave, across
 * all branches, at the moment of the refusal: a unit was still unsold somewhere.
 */
import { drive, type CampaignTally, type DriveOptions, type Tally } from '../test/support/stock-driver';
import { startFleet } from '../test/support/stock-fleet';
import { fmt, load, note, section, table, tempDir } from './lib';

interface Mix {
  name: string;
  what: string;
  drive: Omit<DriveOptions, 'seed'>;
}

const CUTS = { everyMs: 400, odds: { pass: 5, refuse: 3, 'drop-answers': 1 } };

const MIXES: Mix[] = [
  { name: 'online', what: 'even, never cut (reference: online-first decides)', drive: { pauseMs: 30, syncChance: 0.08, attempts: 2 } },
  { name: 'even', what: 'even across branches, random cuts', drive: { pauseMs: 30, syncChance: 0.08, attempts: 2, chaos: CUTS } },
  { name: 'one busy', what: 'B01 scans 6× as often, random cuts', drive: { pauseMs: 45, syncChance: 0.08, attempts: 2, weights: [6, 1, 1], chaos: CUTS } },
  { name: 'offline bursts', what: 'even; every 1.5 s all branches go offline for 1.5 s (3 times)', drive: { pauseMs: 50, syncChance: 0.08, attempts: 2, bursts: { times: 3, ms: 1500 } } },
];

interface Row {
  mix: string;
  tally: Tally;
  c: CampaignTally;
  load: string;
}

export async function runStock(opts: { quick: boolean }): Promise<Record<string, unknown>> {
  section('Campaign stock, strict mode: refused offline for want of allotment vs the ideal (none while stock remains)');
  const stock = opts.quick ? 60 : 200;
  const perBranch = Math.round((stock * 1.5) / 3);
  const seed = Number(process.env.STOCK_SEED ?? 20261130);
  const mixes = opts.quick ? MIXES.filter((m) => m.name !== 'online') : MIXES;
  const rows: Row[] = [];
  for (const [i, m] of mixes.entries()) {
    const tmp = tempDir('vd-bench-stock-');
    const fleet = await startFleet({ dir: tmp.dir, campaigns: [{ id: 'OPEN-WEEK', mode: 'strict', stock }], branches: 3, perBranch });
    try {
      for (const b of fleet.branches) await b.station!.call('sync.now', {});
      const tally = await drive(fleet, { ...m.drive, seed: seed + i });
      const c = tally.by['OPEN-WEEK']!;
      if (c.valid.length > stock) throw new Error(`strict mode sold ${c.valid.length} of ${stock}`);
      rows.push({ mix: m.name, tally, c, load: load() });
      console.log(`  ${m.name}: done in ${fmt(tally.ms / 1000)} s · ${load()}`);
    } finally {
      await fleet.stop();
      tmp.cleanup();
    }
  }
  table(
    `strict, stock ${stock}, 3 branches × ${perBranch} vouchers (seed ${seed})`,
    ['mix', 'scans', 'sold', 'refused offline, no allotment', '…with stock left (ideal 0)', '…network up ≥ 1 s', 'server soldOut', 'own count: none left', 'cuts', 's'],
    rows.map((r) => [r.mix, ...[r.c.scans, r.c.valid.length, r.c.soldOutHere, r.c.soldOutHereWithStockLeft, r.c.soldOutHereNetUp, r.c.soldOut, r.c.shortHere, r.tally.cuts].map(String), r.tally.ms / 1000]),
  );
  for (const m of mixes) note(`${m.name}: ${m.what}`);
  note(
    [
      '"…network up ≥ 1 s": refused as offline although the branch\u2019s network had been back for a second or',
      'more: the workstation decides offline until its next successful sync (backoff after failures).',
    ].join('\n'),
  );
  note(
    [
      'The real path: core processes, HTTP through a loopback proxy, the server process on SQLite, each',
      'workstation\u2019s own encrypted SQLite file. What it skips or compresses: no screen, camera or',
      'decoding (the voucher text is handed to voucher.redeem); the server on SQLite only (the proof test',
      'runs PostgreSQL); time is compressed: a run lasts seconds, Sync now is pressed after ~8% of scans in',
      'place of the 60 s download timer, and the share asked for is sized by the last hour\u2019s rate, so',
      'every unit of the run counts as recent. A refused voucher is tried again later (2 tries).',
    ].join('\n'),
  );
  return Object.fromEntries(rows.map((r) => [r.mix, { ...r.c, valid: r.c.valid.length, cuts: r.tally.cuts, ms: r.tally.ms, load: r.load }]));
}
