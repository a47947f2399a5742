/**
 * Campaign stock across branches (issue 15, docs/spec/sync-protocol.md "Campaign
 * stock (protocol 2)"): two workstations as real core processes, the reference
 * server, and an HTTP proxy between them that can cut the network, lose the
 * answers of one path, or hide the `Sync-Protocol` header (an older server).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignView, CloseDayReport, RedeemResult } from '../../preload/contract';
import { mint, setCampaign } from '../../server/admin';
import { openServerDb } from '../../server/db';
import { issuedBeforeTestDates } from '../support/issue-time';
import { tempDir } from '../support/workstation';
import { freePort, makePlatform, serverCommand, startServer, startStation, type Platform, type ServerProc, type Station } from './support';

/** A proxy that sees every request: `down` cuts the network, `lose` drops the answers of matching paths, `old` hides the protocol header from those devices. */
class StockProxy {
  down = false;
  readonly old = new Set<string>();
  lose: RegExp | null = null;
  readonly seen: { method: string; path: string; body: string; device: string }[] = [];
  private readonly server: Server;

  constructor(
    private readonly target: string,
    readonly port: number,
  ) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  start(): Promise<void> {
    return new Promise((r) => this.server.listen(this.port, '127.0.0.1', () => r()));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  calls(path: string, device?: string): { method: string; path: string; body: string }[] {
    return this.seen.filter((s) => s.path.startsWith(path) && (device === undefined || s.device === device));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.down) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '/';
    this.seen.push({ method: req.method ?? 'GET', path, body, device: String(req.headers['x-device-id']) });
    const headers: Record<string, string> = {};
    for (const h of ['authorization', 'x-device-id', 'content-type', 'accept']) if (typeof req.headers[h] === 'string') headers[h] = req.headers[h] as string;
    const answer = await fetch(this.target + path, { method: req.method ?? 'GET', headers, ...(body && req.method !== 'GET' ? { body } : {}) });
    const text = await answer.text();
    if (this.lose?.test(path)) {
      res.socket?.destroy();
      return;
    }
    const out: Record<string, string> = {};
    answer.headers.forEach((v, k) => {
      if (['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)) return;
      if (this.old.has(String(req.headers['x-device-id'])) && k === 'sync-protocol') return;
      out[k] = v;
    });
    res.writeHead(answer.status, out);
    res.end(text);
  }
}

const CAMPAIGNS = [
  { id: 'OLD', stock: 5, mode: 'strict', vouchers: 2 },
  { id: 'STRICT', stock: 10, mode: 'strict', vouchers: 4 },
  { id: 'LENIENT', stock: 3, mode: 'lenient', vouchers: 3 },
  { id: 'SOLDOUT', stock: 1, mode: 'lenient', vouchers: 1 },
  { id: 'COUNT', stock: 10, mode: 'lenient', vouchers: 5 },
  { id: 'SIZE', stock: 100, mode: 'strict', vouchers: 5 },
  { id: 'CLASH', stock: 10, mode: 'strict', vouchers: 3 },
  { id: 'PROBE', stock: 10, mode: 'strict', vouchers: 3 },
] as const;
type CampaignId = (typeof CAMPAIGNS)[number]['id'];

describe('campaign stock across two branches and the platform', () => {
  const tmp = tempDir('vd-stock-');
  let p: Platform;
  let server: ServerProc;
  let proxy: StockProxy;
  let a: Station;
  let b: Station;
  const vouchers = {} as Record<CampaignId, string[]>;

  beforeAll(async () => {
    const serverPort = await freePort();
    const proxyPort = await freePort();
    p = await makePlatform(tmp.dir, { vouchers: 1, port: serverPort, url: `http://127.0.0.1:${proxyPort}` });
    const sdb = await openServerDb({ dataDir: join(tmp.dir, 'srv') });
    try {
      for (const c of CAMPAIGNS) {
        await setCampaign(sdb, { id: c.id, mid: 'M1001', stock: c.stock, mode: c.mode });
        const minted = await mint(sdb, { mid: 'M1001', kind: 'item', unitPrice: 1000, cmp: c.id, ...issuedBeforeTestDates() } as Parameters<typeof mint>[1], c.vouchers);
        vouchers[c.id] = minted.map((m) => m.text);
      }
    } finally {
      await sdb.close();
    }
    server = await startServer(p);
    proxy = new StockProxy(`http://127.0.0.1:${serverPort}`, proxyPort);
    await proxy.start();
    // B's server is an older one until the first test is done with it.
    proxy.old.add('B02-POS1');
    [a, b] = await Promise.all([startStation(join(tmp.dir, 'a'), p.bundles.B01), startStation(join(tmp.dir, 'b'), p.bundles.B02)]);
    // No background download rounds during the test (the first one ran at start): every round is a sync.now here.
    for (const s of [a, b]) {
      await s.call('sync.setOptions', { adminToken: await s.admin(), downloadEverySeconds: 86_400 });
      await s.call('sync.now', {});
    }
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.core.stop(), b?.core.stop()]);
    await proxy?.close();
    await server?.kill();
    tmp.cleanup();
  });

  const campaign = async (s: Station, id: CampaignId) => (await s.call<CampaignView[]>('campaigns.list', {})).find((c) => c.id === id)!;
  const redeem = (s: Station, text: string) => s.call<RedeemResult>('voucher.redeem', { text, units: 1 });
  const settlement = async () => {
    const res = await fetch(`http://127.0.0.1:${p.port}/v1/settlement?day=${new Date().toISOString().slice(0, 10)}`, {
      headers: { authorization: `Bearer ${p.tokens.B01}`, 'x-device-id': 'B01-POS1' },
    });
    return (await res.json()) as { oversold: { campaign: string; event: string; device: string | null; units: number }[] };
  };
  const allotted = (id: string) => proxy.calls('/v1/allotments').filter((c) => (JSON.parse(c.body) as { campaign: string }).campaign === id);

  it('an older server (no Sync-Protocol header): every campaign lenient, no allot sent, no allotment calls', async () => {
    await b.call('sync.now', {});
    const old = await campaign(b, 'OLD');
    expect(old).toMatchObject({ mode: 'strict', allotments: false, held: 0, left: 5, countedAt: null });
    proxy.down = true;
    expect((await redeem(b, vouchers.OLD[0]!)).verdict).toBe('VALID'); // strict, nothing held, offline: redeemed all the same
    proxy.down = false;
    await b.call('sync.now', {});
    const uploads = proxy.calls('/v1/events', 'B02-POS1');
    expect(uploads.length).toBeGreaterThan(0);
    for (const u of uploads) expect(u.body).not.toContain('"allot"');
    expect(proxy.calls('/v1/allotments', 'B02-POS1')).toHaveLength(0);
    expect(proxy.calls('/v1/allotments', 'B01-POS1').length).toBeGreaterThan(0); // A's server speaks protocol 2
    expect(await campaign(b, 'OLD')).toMatchObject({ used: 1, left: 4, allotments: false });
    proxy.old.clear();
  }, 60_000);

  it('strict, offline: redeems within the allotment held here (allot sent), then refuses soldOutHere', async () => {
    await a.call('sync.now', {});
    await b.call('sync.now', {});
    const strict = await campaign(a, 'STRICT');
    expect(strict).toMatchObject({ mode: 'strict', allotments: true, left: 10 });
    expect(strict.countedAt).toEqual(expect.any(Number));
    const held = strict.held;
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(vouchers.STRICT.length);
    proxy.down = true;
    const redeemed: RedeemResult[] = [];
    for (const v of vouchers.STRICT.slice(0, held)) redeemed.push(await redeem(a, v));
    expect(redeemed.map((r) => r.verdict)).toEqual(redeemed.map(() => 'VALID'));
    expect(redeemed.at(-1)!.campaign).toMatchObject({ held: 0, left: 10 - held });
    const next = vouchers.STRICT[held]!;
    const refused = await redeem(a, next);
    expect(refused).toMatchObject({ verdict: 'CAMPAIGN_CLOSED', detail: { reason: 'soldOutHere' } });
    expect(refused.event).toBeUndefined();
    proxy.down = false;
    await a.call('sync.now', {});
    const sent = proxy.calls('/v1/events').flatMap((c) => (JSON.parse(c.body) as { events: { id: string; allot?: number }[] }).events);
    for (const r of redeemed) {
      expect(sent.filter((e) => e.id === r.event!.id).length).toBeGreaterThan(0);
      expect(sent.filter((e) => e.id === r.event!.id).every((e) => e.allot === 1)).toBe(true);
    }
    // Back online the server answers for it: the refused one is redeemed online-first.
    expect((await redeem(a, next)).verdict).toBe('VALID');
  }, 60_000);

  it('online-first: the server has nothing free, so the voucher is refused soldOut and nothing is recorded', async () => {
    // A asked first and holds the only unit; B holds none and asks the server.
    expect(await campaign(a, 'SOLDOUT')).toMatchObject({ held: 1 });
    expect(await campaign(b, 'SOLDOUT')).toMatchObject({ held: 0, left: 1 });
    const r = await redeem(b, vouchers.SOLDOUT[0]!);
    expect(r).toMatchObject({ verdict: 'CAMPAIGN_CLOSED', detail: { reason: 'soldOut' } });
    expect(r.event).toBeUndefined();
    expect(await campaign(b, 'SOLDOUT')).toMatchObject({ used: 0, oversold: 0 });
    // A holds the unit and redeems it offline, within its allotment.
    proxy.down = true;
    expect((await redeem(a, vouchers.SOLDOUT[0]!)).verdict).toBe('VALID');
    proxy.down = false;
  }, 30_000);

  it('lenient, offline beyond the allotment: redeemed, and the oversell recorded once though its answer was lost and sent again', async () => {
    // The three units are all allotted, so what A redeems beyond its share is oversold.
    const heldA = (await campaign(a, 'LENIENT')).held;
    const heldB = (await campaign(b, 'LENIENT')).held;
    expect(heldA).toBeGreaterThan(0);
    expect(heldB).toBeGreaterThan(0);
    expect(heldA + heldB).toBe(3);
    proxy.down = true;
    const rs = [];
    for (const v of vouchers.LENIENT) rs.push(await redeem(a, v));
    expect(rs.map((r) => r.verdict)).toEqual(['VALID', 'VALID', 'VALID']);
    proxy.down = false;
    proxy.lose = /^\/v1\/events/;
    await a.callErr('sync.now', {});
    proxy.lose = null;
    await a.call('sync.now', {});
    // The platform's settlement names the same oversold events, each once.
    const settled = (await settlement()).oversold.filter((o) => o.campaign === 'LENIENT');
    expect(settled.length).toBeGreaterThan(0);
    const total = settled.reduce((n, o) => n + o.units, 0);
    expect(total).toBe(3 - heldA);
    expect((await campaign(a, 'LENIENT')).oversold).toBe(total);
    // The same answer again, from a receipt file: still once.
    await a.call('sync.loadReceipt', { content: JSON.stringify({ results: settled.map((o) => ({ id: o.event, status: 'duplicate', was: 'stored', oversell: o.units })) }) });
    expect((await campaign(a, 'LENIENT')).oversold).toBe(total);
    oversoldEvents = settled.map((o) => o.event).sort();
  }, 60_000);
  let oversoldEvents: string[] = [];

  it('left is counted across both branches after a sync, and a reversal gives the unit back everywhere', async () => {
    const [v1, v2, v3, v4, v5] = vouchers.COUNT;
    const ra = [await redeem(a, v1!), await redeem(a, v2!)];
    for (const v of [v3, v4, v5]) expect((await redeem(b, v!)).verdict).toBe('VALID');
    expect(ra.map((r) => r.verdict)).toEqual(['VALID', 'VALID']);
    expect((await campaign(a, 'COUNT')).left).toBe(8); // what A knows before it syncs: the last count, less its own two
    for (const s of [a, b, a]) await s.call('sync.now', {});
    expect(await campaign(a, 'COUNT')).toMatchObject({ left: 5, used: 2 });
    expect(await campaign(b, 'COUNT')).toMatchObject({ left: 5, used: 3 });
    await a.call('ledger.reverse', { adminToken: await a.admin(), eventId: ra[0]!.event!.id, reason: 'test' });
    expect(await campaign(a, 'COUNT')).toMatchObject({ left: 6, used: 1 });
    for (const s of [a, b, a]) await s.call('sync.now', {});
    expect(await campaign(a, 'COUNT')).toMatchObject({ left: 6 });
    expect(await campaign(b, 'COUNT')).toMatchObject({ left: 6 });
  }, 60_000);

  it("a refused online-first redemption used a unit of A's allotment on the server: A's share is the server's, never more", async () => {
    const serverHeld = async (device: string) => {
      const sdb = await openServerDb({ dataDir: join(tmp.dir, 'srv') });
      try {
        const r = await sdb.db.selectFrom('allotments').select(['granted', 'consumed']).where('campaign', '=', 'CLASH').where('device', '=', device).executeTakeFirstOrThrow();
        return r.granted - r.consumed;
      } finally {
        await sdb.close();
      }
    };
    await a.call('sync.now', {});
    await b.call('sync.now', {});
    expect((await campaign(a, 'CLASH')).held).toBe(2);
    // B redeems the voucher offline and uploads it; A, online, asks the server with a unit of its allotment: a conflict there, which used that unit.
    const [v1, v2, v3] = vouchers.CLASH;
    proxy.down = true;
    expect((await redeem(b, v1!)).verdict).toBe('VALID');
    proxy.down = false;
    await b.call('sync.now', {});
    expect(await redeem(a, v1!)).toMatchObject({ verdict: 'ALREADY_REDEEMED', detail: { reason: 'usedElsewhere' } });
    expect(await serverHeld('B01-POS1')).toBe(1);
    // The next share: A may spend what the server holds for it, no more (its ledger has no redemption that used the unit).
    await a.call('sync.now', {});
    const held = (await campaign(a, 'CLASH')).held;
    expect(held).toBe(await serverHeld('B01-POS1'));
    expect(held).toBe(2);
    proxy.down = true;
    expect((await redeem(a, v2!)).verdict).toBe('VALID');
    expect((await redeem(a, v3!)).verdict).toBe('VALID');
    expect((await campaign(a, 'CLASH')).held).toBe(0);
    proxy.down = false;
    await a.call('sync.now', {});
    const st = await settlement();
    expect(st.oversold.filter((o) => o.campaign === 'CLASH')).toEqual([]);
  }, 60_000);

  it('strict, nothing held, the network back but the sync backing off: the refusal tries the server at once, and the next scan is asked online', async () => {
    await a.call('sync.now', {});
    expect((await campaign(a, 'PROBE')).held).toBe(2);
    const [v1, v2, v3] = vouchers.PROBE;
    proxy.down = true;
    for (const v of [v1, v2]) expect((await redeem(a, v!)).verdict).toBe('VALID');
    // A long outage: failed syncs back off for longer and longer.
    for (let k = 0; k < 6; k++) await a.call('sync.now', {}).catch(() => null);
    const status = async () => (await a.call<{ online: boolean; nextAttemptAt: number | null }>('sync.status', {}));
    expect((await status()).nextAttemptAt! - Date.now()).toBeGreaterThan(10_000);
    proxy.down = false;
    expect(await redeem(a, v3!)).toMatchObject({ verdict: 'CAMPAIGN_CLOSED', detail: { reason: 'soldOutHere' } });
    await expect.poll(async () => (await status()).online, { timeout: 5_000 }).toBe(true);
    expect((await redeem(a, v3!)).verdict).toBe('VALID');
  }, 60_000);

  it('gives back what it holds of a campaign once it has ended, and asks for it no more', async () => {
    await a.call('sync.now', {});
    expect((await campaign(a, 'COUNT')).held).toBeGreaterThan(0);
    const ended = await serverCommand(p, ['campaign', 'set', '--id', 'COUNT', '--mid', 'M1001', '--stock', '10', '--to', new Date(Date.now() - 60_000).toISOString()]);
    expect(ended.code).toBe(0);
    const before = allotted('COUNT').length;
    await a.call('sync.now', {});
    expect(await campaign(a, 'COUNT')).toMatchObject({ held: 0 });
    const calls = allotted('COUNT').slice(before);
    expect(calls.map((c) => (JSON.parse(c.body) as { want: number }).want)).toEqual([0]);
    await a.call('sync.now', {});
    expect(allotted('COUNT').length).toBe(before + 1);
  }, 60_000);

  it('gives the share back at close of day, and asks for no new one before the day is over', async () => {
    await b.call('sync.now', {});
    expect((await campaign(b, 'SIZE')).held).toBe(2);
    const before = allotted('SIZE').length;
    const closing = Date.now();
    const dayB = await b.call<CloseDayReport>('sync.closeDay', {});
    expect(dayB.syncError).toBeNull();
    expect(await campaign(b, 'SIZE')).toMatchObject({ held: 0 });
    // The report says what is left for all branches, as the platform counted it once B gave its share back.
    const size = await campaign(b, 'SIZE');
    expect(dayB.campaigns.find((c) => c.id === 'SIZE')).toEqual({ id: 'SIZE', name: size.name, mode: 'strict', stock: 100, left: size.left, countedAt: size.countedAt });
    expect(size.countedAt).toBeGreaterThanOrEqual(closing - 1000);
    // COUNT ended a minute ago: it ran today, so it is listed too.
    expect(dayB.campaigns.map((c) => c.id)).toEqual(expect.arrayContaining(['SIZE', 'COUNT']));
    expect(allotted('SIZE').slice(before).some((c) => (JSON.parse(c.body) as { want: number }).want === 0)).toBe(true);
    await b.call('sync.now', {});
    expect((await campaign(b, 'SIZE')).held).toBe(0); // no new share before the day is over
  }, 60_000);

  it('a busy till asks for twice its last hour, and a lost give-back answer leaves nothing to spend offline', async () => {
    await a.call('sync.now', {});
    const [v1, v2, v3, v4] = vouchers.SIZE;
    for (const v of [v1, v2, v3]) expect((await redeem(a, v!)).verdict).toBe('VALID');
    await a.call('sync.now', {});
    expect((await campaign(a, 'SIZE')).held).toBe(6); // 3 units in the last hour × 2, under a fair share of the 100
    proxy.lose = /^\/v1\/allotments/;
    const day = await a.call<CloseDayReport>('sync.closeDay', {});
    proxy.lose = null;
    expect(day.syncError).not.toBeNull();
    expect(day.oversold.map((o) => o.eventId).sort()).toEqual(oversoldEvents);
    expect((await campaign(a, 'SIZE')).held).toBe(0);
    proxy.down = true;
    expect(await redeem(a, v4!)).toMatchObject({ verdict: 'CAMPAIGN_CLOSED', detail: { reason: 'soldOutHere' } });
    proxy.down = false;
  }, 60_000);

});
