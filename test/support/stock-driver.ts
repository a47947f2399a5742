/**
 * Traffic for the proof and the benchmark of campaign stock (issue 15): every
 * branch scans its own vouchers of the campaign at random moments, retries
 * the ones refused for want of stock later (the customer comes back), asks
 * for a sync now and then; optionally the network of each branch is cut and
 * restored at random (NetCut: refused connections, answers lost after the
 * server acted), and one workstation is killed with SIGKILL mid-run and
 * started again on the same data dir. Everything random comes from one seed.
 */
import type { RedeemResult } from '../../preload/contract';
import type { NetMode } from './net-cut';
import { killStation, restartStation, rng, settlementOf, type Fleet } from './stock-fleet';

export interface DriveOptions {
  seed: number;
  /** Relative scan rate of each branch (default: even). */
  weights?: number[];
  /** Mean pause between two scans at a branch of weight 1 (ms). */
  pauseMs: number;
  /** Probability of a Sync now after a scan. */
  syncChance: number;
  /** Attempts per voucher (a refusal for want of stock is tried again later). */
  attempts: number;
  /** Network cuts at random moments: how often the chaos loop acts (mean ms), and the odds of each mode. */
  chaos?: { everyMs: number; odds: Partial<Record<NetMode, number>> };
  /** kill -9 of one random workstation after this fraction of the scans (0-1), and how long it stays down (ms). */
  kill?: { after: number; downMs: number };
  /** Scripted offline bursts: every branch offline for `ms`, `times` times, evenly spread. */
  bursts?: { times: number; ms: number };
}

/** What the counters answered for one campaign. */
export interface CampaignTally {
  scans: number;
  /** Event ids of VALID redemptions as the driver saw them. */
  valid: string[];
  /** Strict, offline, nothing held here. */
  soldOutHere: number;
  /** ...of them, while the campaign still had units left (counted from the VALID answers everywhere). */
  soldOutHereWithStockLeft: number;
  /** ...of them, while this branch's network had been up for a second or more (the workstation still thought it was offline). */
  soldOutHereNetUp: number;
  /** The server said soldOut (online-first). */
  soldOut: number;
  /** The workstation's own count said nothing left (redeem.campaignStockShort). */
  shortHere: number;
  already: number;
  other: Record<string, number>;
  /** The largest redeemed + reserved the watcher read on the server during the run. */
  maxServerTaken: number;
}

export interface Tally {
  by: Record<string, CampaignTally>;
  scans: number;
  /** Calls lost with the killed process (retried after the restart). */
  lostWithKill: number;
  kills: number;
  cuts: number;
  watcherReads: number;
  ms: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export async function drive(f: Fleet, o: DriveOptions): Promise<Tally> {
  const rand = rng(o.seed);
  const by: Record<string, CampaignTally> = {};
  for (const c of f.opts.campaigns) by[c.id] = { scans: 0, valid: [], soldOutHere: 0, soldOutHereWithStockLeft: 0, soldOutHereNetUp: 0, soldOut: 0, shortHere: 0, already: 0, other: {}, maxServerTaken: 0 };
  const stockOf = new Map(f.opts.campaigns.map((c) => [c.id, c.stock]));
  const t: Tally = { by, scans: 0, lostWithKill: 0, kills: 0, cuts: 0, watcherReads: 0, ms: 0 };
  const started = Date.now();
  const total = f.branches.reduce((n, b) => n + b.vouchers.length, 0);
  const weights = o.weights ?? f.branches.map(() => 1);
  let running = true;
  let killAt = o.kill ? Math.floor(total * o.kill.after) : -1;

  const branchLoop = async (i: number) => {
    const b = f.branches[i]!;
    // The branch's vouchers of every campaign, shuffled.
    const queue = b.vouchers.map((v) => ({ ...v, tries: 0, key: rand() })).sort((x, y) => x.key - y.key);
    while (queue.length > 0) {
      await sleep(Math.round((rand() * 2 * o.pauseMs) / weights[i]!));
      const s = b.station;
      if (!s) continue; // being restarted
      if (t.scans === killAt) {
        // kill -9 while this scan is under way (before, during or after its answer from the server).
        killAt = -1;
        t.kills++;
        const delay = Math.round(rand() * 40);
        void (async () => {
          await sleep(delay);
          await killStation(b);
          await sleep(o.kill!.downMs);
          await restartStation(b);
        })();
      }
      const v = queue.shift()!;
      const c = by[v.campaign]!;
      const bump = (k: string) => (c.other[k] = (c.other[k] ?? 0) + 1);
      v.tries++;
      t.scans++;
      c.scans++;
      const out = await s.core.connection.call('voucher.redeem', { text: v.text });
      const retry = () => v.tries < o.attempts && queue.push(v);
      if (!out.ok) {
        if (out.error.code === 'core.stopped') {
          t.lostWithKill++;
          v.tries--;
          queue.unshift(v);
        } else if (out.error.code === 'redeem.campaignStockShort') {
          c.shortHere++;
          retry();
        } else {
          bump(out.error.code);
          retry();
        }
      } else {
        const r = out.value as RedeemResult;
        const reason = (r.detail as { reason?: string } | undefined)?.reason;
        if (r.verdict === 'VALID' && r.event) c.valid.push(r.event.id);
        else if (r.verdict === 'ALREADY_REDEEMED') c.already++;
        else if (r.verdict === 'CAMPAIGN_CLOSED' && reason === 'soldOutHere') {
          c.soldOutHere++;
          if (c.valid.length < stockOf.get(v.campaign)!) c.soldOutHereWithStockLeft++;
          if (b.net.upSince !== null && Date.now() - b.net.upSince >= 1000) c.soldOutHereNetUp++;
          retry();
        } else if (r.verdict === 'CAMPAIGN_CLOSED' && reason === 'soldOut') {
          c.soldOut++;
          retry();
        } else bump(`${r.verdict}${reason ? `:${reason}` : ''}`);
      }
      if (rand() < o.syncChance) await s.core.connection.call('sync.now', {});
    }
  };

  const chaosLoop = async () => {
    if (!o.chaos) return;
    const modes = Object.entries(o.chaos.odds) as [NetMode, number][];
    const sum = modes.reduce((n, [, w]) => n + w, 0);
    while (running) {
      await sleep(Math.round(rand() * 2 * o.chaos.everyMs));
      if (!running) break;
      const b = f.branches[Math.floor(rand() * f.branches.length)]!;
      let x = rand() * sum;
      const mode = modes.find(([, w]) => (x -= w) < 0)?.[0] ?? 'pass';
      if (mode !== 'pass') t.cuts++;
      b.net.set(mode);
    }
  };

  const burstLoop = async () => {
    if (!o.bursts) return;
    for (let k = 0; k < o.bursts.times && running; k++) {
      await sleep(o.bursts.ms);
      for (const b of f.branches) b.net.set('refuse');
      t.cuts++;
      await sleep(o.bursts.ms);
      for (const b of f.branches) b.net.set('pass');
    }
  };

  const watchLoop = async () => {
    while (running) {
      try {
        const st = await settlementOf(f, dayOf(Date.now()));
        for (const line of st.stock) {
          const c = by[line.campaign];
          if (c) c.maxServerTaken = Math.max(c.maxServerTaken, line.redeemed + line.reserved);
        }
        t.watcherReads++;
      } catch {
        // the server may be busy; the next read counts
      }
      await sleep(300);
    }
  };

  const side = Promise.all([chaosLoop(), burstLoop(), watchLoop()]);
  await Promise.all(f.branches.map((_, i) => branchLoop(i)));
  running = false;
  for (const b of f.branches) b.net.set('pass');
  await side;
  // A kill still under way finishes before anyone looks.
  for (;;) {
    if (f.branches.every((b) => b.station)) break;
    await sleep(100);
  }
  t.ms = Date.now() - started;
  return t;
}

/**
 * The end of the day: the network back everywhere, every workstation uploads
 * until nothing waits, closes the day (giving its allotment back), and syncs
 * once more so it has everyone's events and the last counts.
 */
export async function settle(f: Fleet): Promise<void> {
  for (const b of f.branches) b.net.set('pass');
  const syncAll = async () => {
    for (const b of f.branches) {
      for (let k = 0; k < 10; k++) {
        const r = await b.station!.core.connection.call('sync.now', {});
        const st = (await b.station!.core.connection.call('sync.status', {})) as { ok: boolean; value?: { waiting: number } };
        if (r.ok && st.ok && st.value!.waiting === 0) break;
        await sleep(300);
      }
    }
  };
  await syncAll();
  for (const b of f.branches) await b.station!.call('sync.closeDay', {});
  await syncAll();
}
