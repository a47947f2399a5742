/**
 * Campaign stock in the core (issue 15, docs/spec/sync-protocol.md "Campaign stock
 * (protocol 2)"), without a server: the answers a server would give are handed
 * to the core as the sync client hands them (tests with the reference server:
 * test/sync/campaign-stock.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignView, HistoryEntry, RedeemResult } from '../../preload/contract';
import type { Core } from '../../main/core/services';
import { PROTOCOL_SETTING } from '../../main/core/catalog/stock';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { callErr, callOk, newWorkstation } from '../support/workstation';

let issuer: TestIssuer;
let ws: Awaited<ReturnType<typeof newWorkstation>>;
let core: Core;

beforeAll(async () => {
  issuer = await makeTestIssuer();
  ws = await newWorkstation({ keysFile: null });
  core = ws.core;
  await callOk(core, 'keystore.import', { adminToken: ws.token, fileName: 'bundle.json', content: issuer.bundleJson });
});
afterAll(() => ws.cleanup());

const set = (c: Omit<Partial<CampaignView>, 'mode'> & { id: string; mode?: CampaignView['mode'] | 'platform' }) =>
  callOk<CampaignView>(core, 'campaigns.set', { adminToken: ws.token, name: c.id, stock: null, from: null, to: null, hours: null, ...c });
const campaign = async (id: string) => (await callOk<CampaignView[]>(core, 'campaigns.list', {})).find((c) => c.id === id)!;
const redeem = (input: Record<string, unknown>) => callOk<RedeemResult>(core, 'voucher.redeem', input);
const outboxBody = (id: string) => JSON.parse((core.db.prepare('SELECT body FROM sync_outbox WHERE id = ?').get(id) as { body: string }).body) as Record<string, unknown>;
/** As if a protocol-2 server had answered: a server configured and its header seen. */
function speakProtocol2(): void {
  core.settings.setJson('server', { url: 'http://127.0.0.1:9', deviceId: 'TEST-POS' });
  core.settings.set(PROTOCOL_SETTING, '2');
}
const answer = (campaign: string, granted: number, redeemed: number, reserved: number, stock = 10) => ({
  campaign,
  granted,
  stock,
  redeemed,
  reserved,
  held: granted,
  serverTime: new Date().toISOString(),
});

describe('the campaign mode', () => {
  it("is the platform's default until the owner chooses; the owner's choice outlasts later campaign changes", async () => {
    await core.sync.applyChanges([{ type: 'campaign', id: 'PLAT', stock: 5, mode: 'strict' }], 'c-1');
    expect(await campaign('PLAT')).toMatchObject({ mode: 'strict', stock: 5 });
    await core.sync.applyChanges([{ type: 'campaign', id: 'PLAT', stock: 6, mode: 'lenient' }], 'c-2');
    expect(await campaign('PLAT')).toMatchObject({ mode: 'lenient', stock: 6 });
    expect(await set({ id: 'PLAT', stock: 6, mode: 'strict' })).toMatchObject({ mode: 'strict' });
    await core.sync.applyChanges([{ type: 'campaign', id: 'PLAT', stock: 7, mode: 'lenient' }], 'c-3');
    expect(await campaign('PLAT')).toMatchObject({ mode: 'strict', stock: 7 });
    // A mode this workstation does not know: the campaign is still applied, its mode kept.
    await core.sync.applyChanges([{ type: 'campaign', id: 'PLAT', stock: 8, mode: 'generous' }], 'c-4');
    expect(await campaign('PLAT')).toMatchObject({ mode: 'strict', stock: 8 });
    // A campaign set without a mode keeps it; a new one is lenient.
    expect(await set({ id: 'PLAT', stock: 8 })).toMatchObject({ mode: 'strict' });
    expect(await set({ id: 'NEW', stock: 8 })).toMatchObject({ mode: 'lenient', modeBy: 'platform' });
    // The owner gives the choice back: the platform's default applies again, and its later changes too.
    expect(await campaign('PLAT')).toMatchObject({ mode: 'strict', modeBy: 'owner', platformMode: 'lenient' });
    expect(await set({ id: 'PLAT', stock: 8, mode: 'platform' })).toMatchObject({ mode: 'lenient', modeBy: 'platform', platformMode: 'lenient' });
    await core.sync.applyChanges([{ type: 'campaign', id: 'PLAT', stock: 8, mode: 'strict' }], 'c-5');
    expect(await campaign('PLAT')).toMatchObject({ mode: 'strict', modeBy: 'platform' });
  });
});

describe('with a server that speaks protocol 2', () => {
  beforeAll(() => speakProtocol2());

  it('strict, offline: units come from the allotment (allot on the event and in its upload), the question is bounded by what is held, and none held is soldOutHere', async () => {
    await set({ id: 'STRICT', stock: 10, mode: 'strict' });
    core.catalog.stock.applyAnswer(answer('STRICT', 2, 0, 2), core.catalog.stock.beforeAsking('STRICT'), Date.now());
    expect(await campaign('STRICT')).toMatchObject({ held: 2, left: 10, allotments: true });
    const five = await issuer.mint('campaign', { cmp: 'STRICT', qty: 5 });
    const asked = await redeem({ text: five.text, unlessAsking: true });
    expect(asked).toMatchObject({ verdict: 'VALID', ask: { for: 'units', max: 2 } });
    expect(asked.event).toBeUndefined();
    expect((await callErr(core, 'voucher.redeem', { text: five.text, units: 3 })).code).toBe('redeem.campaignStockShort');
    const r = await redeem({ text: five.text, units: 2 });
    expect(r.verdict).toBe('VALID');
    expect(r.campaign).toMatchObject({ held: 0, left: 8, used: 2 });
    expect(core.ledger.event(r.event!.id)).toMatchObject({ allot: 2, cmp: 'STRICT' });
    expect(outboxBody(r.event!.id)).toMatchObject({ allot: 2 });
    const other = await issuer.mint('campaign', { cmp: 'STRICT' });
    expect(await callOk<RedeemResult>(core, 'voucher.verify', { text: other.text })).toMatchObject({ verdict: 'CAMPAIGN_CLOSED', detail: { reason: 'soldOutHere' } });
    expect(await redeem({ text: other.text })).toMatchObject({ verdict: 'CAMPAIGN_CLOSED', detail: { reason: 'soldOutHere' } });
  });

  it('lenient, offline: beyond the allotment it redeems, sending allot only for the units that came from it', async () => {
    await set({ id: 'LOOSE', stock: 10, mode: 'lenient' });
    core.catalog.stock.applyAnswer(answer('LOOSE', 1, 0, 1), core.catalog.stock.beforeAsking('LOOSE'), Date.now());
    const r1 = await redeem({ text: (await issuer.mint('campaign', { cmp: 'LOOSE' })).text });
    const r2 = await redeem({ text: (await issuer.mint('campaign', { cmp: 'LOOSE' })).text });
    expect([r1.verdict, r2.verdict]).toEqual(['VALID', 'VALID']);
    expect(outboxBody(r1.event!.id).allot).toBe(1);
    expect(outboxBody(r2.event!.id)).not.toHaveProperty('allot');
    expect(core.ledger.event(r2.event!.id)!.allot).toBeNull();
  });

  it('left: a count includes the events answered before it was asked, never the ones after; changes and reversals are counted once', async () => {
    await set({ id: 'COUNT', stock: 10 });
    const mintC = async () => (await issuer.mint('campaign', { cmp: 'COUNT' })).text;
    const e1 = (await redeem({ text: await mintC() })).event!;
    const e2 = (await redeem({ text: await mintC() })).event!;
    expect(await campaign('COUNT')).toMatchObject({ left: 8, countedAt: null });
    // e1 is uploaded and answered; then a count is asked; e3 is redeemed while the call is under way.
    core.sync.applyResults([{ id: e1.id, status: 'stored' }], 'upload');
    const before = core.catalog.stock.beforeAsking('COUNT');
    expect(before.answered).toEqual([e1.id]);
    const e3 = (await redeem({ text: await mintC() })).event!;
    core.catalog.stock.applyAnswer(answer('COUNT', 0, 1 + 4, 0), before, Date.now()); // e1 and four units from other branches
    const counted = await campaign('COUNT');
    expect(counted).toMatchObject({ left: 10 - 5 - 2, used: 3 });
    expect(counted.countedAt).toEqual(expect.any(Number));
    // Another branch's redemption arrives in changes: the count already has it (or the next one will).
    await core.sync.applyChanges(
      [{ type: 'redemption', event: { id: 'REMOTE-1', type: 'redemption', iss: 'gb.test', jti: 'R-1', mid: 'M-TEST', device: 'B02-POS1', at: new Date().toISOString(), units: 1, offline: true, cmp: 'COUNT', allot: 1 } }],
      'c-9',
    );
    expect(core.ledger.event('REMOTE-1')).toMatchObject({ cmp: 'COUNT', allot: 1, remote: 1 });
    expect(await campaign('COUNT')).toMatchObject({ left: 3, used: 3 });
    // Reversals here give the units back at once: of our own (used too), of another branch's (the count only).
    await callOk<HistoryEntry>(core, 'ledger.reverse', { adminToken: ws.token, eventId: e2.id, reason: 'test' });
    await callOk<HistoryEntry>(core, 'ledger.reverse', { adminToken: ws.token, eventId: 'REMOTE-1', reason: 'test' });
    expect(await campaign('COUNT')).toMatchObject({ left: 5, used: 2, held: 0 });
    // Everything answered, a new count that has it all: the same figure, nothing counted twice.
    const waiting = core.db.prepare('SELECT id FROM sync_outbox WHERE status IS NULL').all() as { id: string }[];
    core.sync.applyResults(waiting.map((w) => ({ id: w.id, status: 'stored' as const })), 'upload');
    const all = core.catalog.stock.beforeAsking('COUNT');
    expect(all.answered.sort()).toEqual(expect.arrayContaining([e2.id, e3.id]));
    // The platform's count now: e1, e3 and the four from other branches (REMOTE-1 was one of them, now reversed).
    core.catalog.stock.applyAnswer(answer('COUNT', 0, 1 + 1 + 4 - 1, 0), all, Date.now());
    expect(await campaign('COUNT')).toMatchObject({ left: 5 });
  });

  it("consumed, as sent to the server, is the ledger's allot units less those of redemptions the server rejected", async () => {
    await set({ id: 'REJ', stock: 10, mode: 'strict' });
    core.catalog.stock.applyAnswer(answer('REJ', 3, 0, 3), core.catalog.stock.beforeAsking('REJ'), Date.now());
    const r1 = await redeem({ text: (await issuer.mint('campaign', { cmp: 'REJ' })).text });
    const r2 = await redeem({ text: (await issuer.mint('campaign', { cmp: 'REJ' })).text });
    expect(core.catalog.stock.allotment('REJ')).toMatchObject({ granted: 3, consumed: 2 });
    core.sync.applyResults([{ id: r1.event!.id, status: 'stored' }, { id: r2.event!.id, status: 'rejected', reason: 'invalid event' }], 'upload');
    expect(core.catalog.stock.allotment('REJ')).toMatchObject({ granted: 3, consumed: 1 });
    expect(await campaign('REJ')).toMatchObject({ held: 2 });
  });

  it("the share kept is the server's held less the allotted units of redemptions it has not answered yet; what it counts beyond this ledger is remembered", async () => {
    await set({ id: 'SHARE', stock: 10, mode: 'strict' });
    core.catalog.stock.applyAnswer(answer('SHARE', 3, 0, 3), core.catalog.stock.beforeAsking('SHARE'), Date.now());
    const r = await redeem({ text: (await issuer.mint('campaign', { cmp: 'SHARE' })).text });
    expect(core.ledger.event(r.event!.id)!.allot).toBe(1);
    // The server's answer: granted 4, of which 1 consumed by an online-first redemption refused here; r is not uploaded yet.
    const before = core.catalog.stock.beforeAsking('SHARE');
    expect(before.consumedAnswered).toBe(0);
    core.catalog.stock.applyAnswer({ ...answer('SHARE', 4, 0, 3), held: 3 }, before, Date.now());
    // r will take one of the server's 3 when it arrives: 2 are left to spend here.
    expect(await campaign('SHARE')).toMatchObject({ held: 2 });
    expect(core.catalog.stock.allotment('SHARE')).toMatchObject({ granted: 3, consumed: 1, serverExtra: 1 });
    // r answered: the next answer's held has it already.
    core.sync.applyResults([{ id: r.event!.id, status: 'stored' }], 'upload');
    const after = core.catalog.stock.beforeAsking('SHARE');
    expect(after.consumedAnswered).toBe(1);
    core.catalog.stock.applyAnswer({ ...answer('SHARE', 4, 0, 2), held: 2 }, after, Date.now());
    expect(await campaign('SHARE')).toMatchObject({ held: 2 });
    expect(core.catalog.stock.allotment('SHARE')).toMatchObject({ serverExtra: 1 });
  });

  it('an oversell reported in an answer is kept once per event', async () => {
    await set({ id: 'OVER', stock: 1 });
    const r = await redeem({ text: (await issuer.mint('campaign', { cmp: 'OVER' })).text });
    core.sync.applyResults([{ id: r.event!.id, status: 'stored', oversell: 1 }], 'upload');
    core.sync.applyResults([{ id: r.event!.id, status: 'duplicate', oversell: 1 }], 'receipt');
    expect(await campaign('OVER')).toMatchObject({ oversold: 1 });
    expect(core.catalog.stock.oversells(0, Date.now() + 1000)).toEqual([expect.objectContaining({ eventId: r.event!.id, campaign: 'OVER', units: 1 })]);
  });
});
