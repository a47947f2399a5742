/**
 * A fleet for the proof of campaign stock (issue 15): the reference server as a
 * real child process on SQLite or PostgreSQL, a merchant with N branches, one
 * workstation core process per branch (each its own data dir and SQLite file)
 * talking to the server through its own NetCut proxy, campaigns each with a
 * stock and a mode, and single-unit vouchers of each campaign minted by the
 * server (server/admin.ts `mint`, what the `mint --cmp ID` CLI runs) for each
 * branch.
 *
 * Loadable as ESM (bench/ uses it): it does not import test/support/workstation.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createBranch, createDevice, createMerchant, initPlatform, mint, setCampaign } from '../../server/admin';
import { openServerDb, type ServerDb } from '../../server/db';
import { connect, type Db } from '../../main/core/db/open';
import { openKeyFile, readKeyFile } from '../../main/core/db/key';
import { ADMIN_PASSPHRASE, freePort, ROOT, startStation, type Station } from '../sync/support';
import { NetCut } from './net-cut';

export const MID = 'M1001';
export type StockMode = 'strict' | 'lenient';

export interface CampaignSpec {
  id: string;
  mode: StockMode;
  stock: number;
}

export interface Voucher {
  text: string;
  campaign: string;
}

export interface FleetOptions {
  dir: string;
  /** A PostgreSQL URL (an empty database), or absent: SQLite in dir/srv. */
  database?: string;
  campaigns: CampaignSpec[];
  branches: number;
  /** Vouchers minted per branch and campaign. */
  perBranch: number;
}

export interface Branch {
  id: string;
  device: string;
  dir: string;
  net: NetCut;
  /** Its vouchers, every campaign's, in the order they were minted. */
  vouchers: Voucher[];
  station: Station | null;
}

export interface Fleet {
  opts: FleetOptions;
  branches: Branch[];
  /** A device of the merchant that talks to the server directly (settlement, counts). */
  watcher: { id: string; token: string };
  serverUrl: string;
  /** Restarts the server process (after a kill). */
  server: ChildProcess;
  openServer(): Promise<ServerDb>;
  stop(): Promise<void>;
}

function serve(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'index.ts'), 'serve', '--max-in-flight', '1000', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /"listening":"([^"]+)"/.exec(buf);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on('data', (d: Buffer) => (buf += d.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${buf.slice(-2000)}`)));
  });
}

export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  const port = await freePort();
  const dbOpts = opts.database ? { database: opts.database } : { dataDir: join(opts.dir, 'srv') };
  const openServer = () => openServerDb(dbOpts);
  const branches: Branch[] = [];
  let watcher: { id: string; token: string };
  const bundles: string[] = [];
  const sdb = await openServer();
  try {
    await initPlatform(sdb, {});
    await createMerchant(sdb, { id: MID, name: 'Tea House', sharePercent: 85, signing: true });
    for (const c of opts.campaigns) await setCampaign(sdb, { id: c.id, mid: MID, stock: c.stock, mode: c.mode });
    for (let i = 1; i <= opts.branches; i++) {
      const id = `B0${i}`;
      await createBranch(sdb, { mid: MID, id });
      const net = await NetCut.start(port);
      const d = await createDevice(sdb, { mid: MID, id: `${id}-POS1`, branch: id, url: net.url, passphrase: 'bundle passphrase 1', p2c: 1000 });
      bundles.push(d.sealed);
      const vouchers: Voucher[] = [];
      for (const c of opts.campaigns) {
        const minted = await mint(sdb, { mid: MID, kind: 'item', qty: 1, cmp: c.id, unitPrice: 1000 }, opts.perBranch);
        vouchers.push(...minted.map((m) => ({ text: m.text, campaign: c.id })));
      }
      branches.push({ id, device: `${id}-POS1`, dir: join(opts.dir, id), net, vouchers, station: null });
    }
    const w = await createDevice(sdb, { mid: MID, id: 'HQ-1', url: `http://127.0.0.1:${port}`, passphrase: 'bundle passphrase 1', p2c: 1000 });
    watcher = { id: 'HQ-1', token: w.token };
  } finally {
    await sdb.close();
  }
  const srv = await serve(['--port', String(port), ...(opts.database ? ['--database', opts.database] : ['--data-dir', join(opts.dir, 'srv')])]);
  await Promise.all(branches.map(async (b, i) => (b.station = await startStation(b.dir, bundles[i]))));
  const fleet: Fleet = {
    opts,
    branches,
    watcher,
    serverUrl: srv.url,
    server: srv.child,
    openServer,
    async stop() {
      await Promise.all(branches.map((b) => b.station?.core.stop()));
      if (srv.child.exitCode === null) srv.child.kill('SIGKILL');
      await Promise.all(branches.map((b) => b.net.close()));
    },
  };
  return fleet;
}

/** kill -9 of a branch's core process; `restart` starts it again on the same data dir. */
export async function killStation(b: Branch): Promise<void> {
  const s = b.station;
  b.station = null;
  if (!s) return;
  s.core.child.kill('SIGKILL');
  await s.core.exited;
}

export async function restartStation(b: Branch): Promise<Station> {
  b.station = await startStation(b.dir);
  return b.station;
}

/** The settlement as the watcher device reads it over HTTP. */
export async function settlementOf(f: Fleet, day: string): Promise<{
  oversold: { campaign: string; event: string; device: string | null; units: number }[];
  stock: { campaign: string; stock: number; redeemed: number; reserved: number }[];
}> {
  const res = await fetch(`${f.serverUrl}/v1/settlement?day=${day}`, { headers: { authorization: `Bearer ${f.watcher.token}`, 'x-device-id': f.watcher.id } });
  if (res.status !== 200) throw new Error(`settlement: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as never;
}

/** A workstation's database opened read-only with its key (the core may be running). */
const keys = new Map<string, Buffer>();
export async function openLedger(dir: string): Promise<Db> {
  let key = keys.get(dir);
  if (!key) {
    const file = readKeyFile(dir);
    if (!file) throw new Error(`no database key in ${dir}`);
    keys.set(dir, (key = await openKeyFile(file, { os: null, passphrase: ADMIN_PASSPHRASE })));
  }
  return connect(join(dir, 'voucherdesk.db'), key, { readonly: true, fileMustExist: true });
}

export interface LedgerView {
  /** Live redemptions of the campaign (not reversed, not a lost conflict), this device's and the others'. */
  redemptions: string[];
  /** Those made here. */
  own: string[];
  /** Oversells the server reported to this workstation: event id → units. */
  oversells: Map<string, number>;
  allotment: { granted: number; consumed: number } | null;
}

export async function readLedger(dir: string, campaign: string): Promise<LedgerView> {
  const db = await openLedger(dir);
  try {
    const live = db
      .prepare(
        `SELECT id, remote FROM events e WHERE type = 'redemption' AND cmp = ?
           AND NOT EXISTS (SELECT 1 FROM events r WHERE r.reverses = e.id)
           AND NOT EXISTS (SELECT 1 FROM sync_conflicts c WHERE c.event_id = e.id)`,
      )
      .all(campaign) as { id: string; remote: number }[];
    const over = db.prepare('SELECT event_id, units FROM campaign_oversells WHERE campaign = ?').all(campaign) as { event_id: string; units: number }[];
    const allot = db.prepare('SELECT granted, consumed FROM campaign_allotments WHERE id = ?').get(campaign) as { granted: number; consumed: number } | undefined;
    return {
      redemptions: live.map((r) => r.id).sort(),
      own: live.filter((r) => r.remote === 0).map((r) => r.id).sort(),
      oversells: new Map(over.map((o) => [o.event_id, o.units])),
      allotment: allot ?? null,
    };
  } finally {
    db.close();
  }
}

export interface ServerView {
  /** Stored, live redemptions of the campaign's vouchers. */
  redemptions: string[];
  count: { stock: number | null; redeemed: number; reserved: number } | null;
  allotments: { device: string; granted: number; consumed: number }[];
  /** Sum of the vouchers' used units (the per-voucher counters). */
  voucherUnits: number;
}

export async function readServer(f: Fleet, campaign: string): Promise<ServerView> {
  const sdb = await f.openServer();
  try {
    const rows = await sdb.db
      .selectFrom('events as e')
      .innerJoin('vouchers as v', 'v.vkey', 'e.vkey')
      .select(['e.id'])
      .where('e.mid', '=', MID)
      .where('e.type', '=', 'redemption')
      .where('e.status', '=', 'stored')
      .where('e.reversed_by', 'is', null)
      .where('v.cmp', '=', campaign)
      .execute();
    const count = await sdb.db.selectFrom('campaign_counts').select(['stock', 'redeemed', 'reserved']).where('mid', '=', MID).where('campaign', '=', campaign).executeTakeFirst();
    const allotments = await sdb.db.selectFrom('allotments').select(['device', 'granted', 'consumed']).where('mid', '=', MID).where('campaign', '=', campaign).orderBy('device').execute();
    const used = await sdb.db.selectFrom('vouchers').select((eb) => eb.fn.sum<number>('used_units').as('n')).where('mid', '=', MID).where('cmp', '=', campaign).executeTakeFirst();
    return {
      redemptions: rows.map((r) => r.id).sort(),
      count: count ? { stock: count.stock === null ? null : Number(count.stock), redeemed: Number(count.redeemed), reserved: Number(count.reserved) } : null,
      allotments: allotments.map((a) => ({ device: a.device, granted: Number(a.granted), consumed: Number(a.consumed) })),
      voucherUnits: Number(used?.n ?? 0),
    };
  } finally {
    await sdb.close();
  }
}

/** A small seeded generator (mulberry32), so a failing run can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
