import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignView, HistoryEntry, HolderPoints, RedeemResult } from '../../preload/contract';
import type { Core } from '../../main/core/services';
import { startWorker } from '../support/workers';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { ADMIN_PASSPHRASE, callErr, callOk, newWorkstation } from '../support/workstation';

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

const redeem = (input: Record<string, unknown>) => callOk<RedeemResult>(core, 'voucher.redeem', input);
const reverse = (eventId: string) => callOk<HistoryEntry>(core, 'ledger.reverse', { adminToken: ws.token, eventId, reason: 'test' });

describe('units, balances, gifts, caps', () => {
  it('units: the last unit, then nothing left', async () => {
    const { text } = await issuer.mint('item', { qty: 3 });
    expect((await redeem({ text, units: 2 })).remaining!.left).toBe(1);
    const last = await redeem({ text, units: 1 });
    expect(last.verdict).toBe('VALID');
    expect(last.remaining!.left).toBe(0);
    expect((await redeem({ text, units: 1 })).detail).toEqual({ reason: 'nothingLeft' });
  });

  it('stored value: an exact balance leaves zero and nothing due', async () => {
    const { text } = await issuer.mint('value', { val: 2500, cur: 'CNY' });
    const r = await redeem({ text, amount: 2500 });
    expect(r.remaining!.left).toBe(0);
    expect(r.due).toBeUndefined();
    expect((await redeem({ text, amount: 1 })).detail).toEqual({ reason: 'balanceUsedUp' });
  });

  it('gift: no amount asked; the product name is shown when the catalog knows it', async () => {
    await callOk(core, 'products.import', { adminToken: ws.token, fileName: 'p.csv', content: 'sku,name,price,cur\nGIFT-TEA,Tea gift box,8800,CNY\n' });
    const { text } = await issuer.mint('gift', { sku: 'GIFT-TEA' });
    const r = await redeem({ text });
    expect(r.verdict).toBe('VALID');
    expect(r.voucher).toMatchObject({ kind: 'gift', product: 'Tea gift box' });
    expect(r.event).toMatchObject({ units: 1, product: 'Tea gift box' });
    expect(r.flags).toBeUndefined();
  });

  it('an unknown product still redeems, shows the raw id, and is flagged', async () => {
    const { text } = await issuer.mint('item', { sku: 'SKU-NOT-IN-CATALOG' });
    const r = await redeem({ text });
    expect(r.verdict).toBe('VALID');
    expect(r.voucher).toMatchObject({ sku: 'SKU-NOT-IN-CATALOG', product: null });
    expect(r.flags).toContain('unknownProduct');
  });

  it('the use cap is reached before the units run out', async () => {
    const { text } = await issuer.mint('multi-use', { qty: 10, use: 2 });
    await redeem({ text, units: 1 });
    await redeem({ text, units: 1 });
    const r = await redeem({ text, units: 1 });
    expect(r).toMatchObject({ verdict: 'ALREADY_REDEEMED', detail: { reason: 'useCapReached' }, remaining: { left: 8, usesLeft: 0 } });
  });

  it('PIN lockout can be lifted by an admin', async () => {
    const { text, jti } = await issuer.mint('pin', { pin: '2468' });
    for (let i = 0; i < 5; i++) await redeem({ text, pin: '1111' });
    expect((await redeem({ text, pin: '2468' })).detail).toMatchObject({ reason: 'locked' });
    expect((await callErr(core, 'voucher.unlockPin', { adminToken: 'x', iss: 'gb.test', jti })).code).toBe('admin.required');
    await callOk(core, 'voucher.unlockPin', { adminToken: ws.token, iss: 'gb.test', jti });
    expect((await redeem({ text, pin: '2468' })).verdict).toBe('VALID');
  });
});

describe('products and revocations', () => {
  it('imports products from JSON and CSV; a file with a bad row imports nothing and says which row', async () => {
    await callOk(core, 'products.import', { adminToken: ws.token, fileName: 'p.json', content: JSON.stringify([{ sku: 'SKU-88', name: 'Double hotpot set', price: 16800, cur: 'CNY' }]) });
    expect((await callOk<{ name: string }[]>(core, 'products.list', { query: 'hotpot' }))[0]!.name).toBe('Double hotpot set');
    const bad = await callErr(core, 'products.import', { adminToken: ws.token, fileName: 'p.csv', content: 'sku,name\nA-1,Fine\nB-2,\nC-3,Also fine\n' });
    expect(bad.code).toBe('import.badRows');
    expect(bad.message).toMatch(/row 2/);
    expect(await callOk<unknown[]>(core, 'products.list', { query: 'A-1' })).toEqual([]);
    expect((await callErr(core, 'products.import', { adminToken: 'x', fileName: 'p.csv', content: 'sku,name\nA,B\n' })).code).toBe('admin.required');
    const r = await redeem({ text: (await issuer.mint('item', { sku: 'SKU-88', qty: 2 })).text });
    expect(r.voucher!.product).toBe('Double hotpot set');
  });

  it('a voucher revoked after a partial redemption is refused with the reason', async () => {
    const { text, jti } = await issuer.mint('item', { qty: 3 });
    await redeem({ text, units: 1 });
    await callOk(core, 'revocations.import', { adminToken: ws.token, fileName: 'r.csv', content: `iss,jti,reason,at\ngb.test,${jti},refunded,2026-11-20T10:00:00Z\n` });
    const r = await redeem({ text, units: 1 });
    expect(r).toMatchObject({ verdict: 'REVOKED', detail: { reason: 'revoked', note: 'refunded' } });
    const list = await callOk<{ jti: string; reason: string }[]>(core, 'revocations.list', {});
    expect(list.find((x) => x.jti === jti)).toMatchObject({ reason: 'refunded', at: Date.parse('2026-11-20T10:00:00Z') });
    // JSON too.
    const other = await issuer.mint('item');
    await callOk(core, 'revocations.import', { adminToken: ws.token, fileName: 'r.json', content: JSON.stringify({ revocations: [{ iss: 'gb.test', jti: other.jti, reason: 'fraud' }] }) });
    expect((await redeem({ text: other.text })).verdict).toBe('REVOKED');
  });
});

describe('campaigns', () => {
  const set = (c: Partial<CampaignView> & { id: string }) =>
    callOk<CampaignView>(core, 'campaigns.set', { adminToken: ws.token, name: c.id, stock: null, from: null, to: null, hours: null, ...c });

  it('redeems a voucher naming an unknown campaign, flagged', async () => {
    const r = await redeem({ text: (await issuer.mint('campaign', { cmp: 'NOBODY-KNOWS' })).text });
    expect(r.verdict).toBe('VALID');
    expect(r.flags).toContain('unknownCampaign');
  });

  it('counts stock here, refuses when sold out, and a reversal gives the stock back', async () => {
    await set({ id: 'STOCK-3', stock: 3 });
    const a = await redeem({ text: (await issuer.mint('campaign', { cmp: 'STOCK-3', qty: 2 })).text });
    expect(a.campaign).toMatchObject({ id: 'STOCK-3', used: 2 });
    const big = await issuer.mint('campaign', { cmp: 'STOCK-3', qty: 2 });
    expect((await callErr(core, 'voucher.redeem', { text: big.text })).code).toBe('redeem.campaignStockShort');
    await redeem({ text: big.text, units: 1 });
    const sold = await redeem({ text: (await issuer.mint('campaign', { cmp: 'STOCK-3' })).text });
    expect(sold).toMatchObject({ verdict: 'CAMPAIGN_CLOSED', detail: { reason: 'soldOut' } });
    await reverse(a.event!.id);
    expect((await callOk<CampaignView[]>(core, 'campaigns.list', {})).find((c) => c.id === 'STOCK-3')!.used).toBe(1);
  });

  it('is closed before it starts, after it ends, and outside its hours', async () => {
    const now = Date.now();
    await set({ id: 'LATER', from: now + 86400_000 });
    await set({ id: 'OVER', to: now - 1000 });
    const h = new Date(now).getHours();
    const closedHours = `${String((h + 2) % 24).padStart(2, '0')}:00-${String((h + 3) % 24).padStart(2, '0')}:00`;
    await set({ id: 'NIGHT', hours: closedHours });
    const openHours = `${String(h).padStart(2, '0')}:00-${String((h + 1) % 24).padStart(2, '0')}:00`;
    await set({ id: 'NOW', hours: openHours });
    expect((await redeem({ text: (await issuer.mint('campaign', { cmp: 'LATER' })).text })).detail).toEqual({ reason: 'notStarted' });
    expect((await redeem({ text: (await issuer.mint('campaign', { cmp: 'OVER' })).text })).detail).toEqual({ reason: 'ended' });
    expect((await redeem({ text: (await issuer.mint('campaign', { cmp: 'NIGHT' })).text })).detail).toEqual({ reason: 'outsideHours' });
    expect((await redeem({ text: (await issuer.mint('campaign', { cmp: 'NOW' })).text })).verdict).toBe('VALID');
    expect((await callErr(core, 'campaigns.set', { adminToken: ws.token, id: 'X', name: 'X', hours: '25 o clock' })).code).toBe('campaigns.badInput');
  });

  it('imports campaigns from CSV', async () => {
    await callOk(core, 'campaigns.import', { adminToken: ws.token, fileName: 'c.csv', content: 'id,name,stock,from,to,hours\nCNY-2027,Spring Festival,200,2026-01-01,2030-01-01,00:00-23:59\n' });
    expect((await callOk<CampaignView[]>(core, 'campaigns.list', {})).find((c) => c.id === 'CNY-2027')).toMatchObject({ name: 'Spring Festival', stock: 200, hours: '00:00-23:59' });
  });

  it('only one of two processes redeeming at the same moment gets the last unit of a campaign', async () => {
    await set({ id: 'LAST-ONE', stock: 1 });
    const a = await issuer.mint('campaign', { cmp: 'LAST-ONE' });
    const b = await issuer.mint('campaign', { cmp: 'LAST-ONE' });
    core.close();
    try {
      const workers = [a.text, b.text].map(() => startWorker(ws.dir));
      await Promise.all(workers.map((w) => w.ready));
      workers[0]!.send(a.text);
      workers[1]!.send(b.text);
      const verdicts = (await Promise.all(workers.map((w) => w.result))).map((r) => r.verdict).sort();
      expect(verdicts).toEqual(['CAMPAIGN_CLOSED', 'VALID']);
    } finally {
      const { openWorkstation } = await import('../support/workstation');
      core = await openWorkstation(ws.dir);
      await core.invoke('keystore.unlock', { passphrase: ADMIN_PASSPHRASE });
      ws.core = core;
      ws.token = (await core.invoke('admin.login', { passphrase: ADMIN_PASSPHRASE })).token;
    }
  });
});

describe('shared vouchers: points and levels', () => {
  it('credits the redeemer and the first holder (mode x), once per redemption, and a reversal takes it back', async () => {
    await callOk(core, 'points.setRules', { adminToken: ws.token, redeemer: 10, holder: 5, levels: [{ level: 0, points: 0, perk: '' }, { level: 1, points: 20, perk: '5% off' }, { level: 3, points: 1000, perk: '20% off' }] });
    const v = await issuer.mint('shared', { sub: 'C-RED', ref: ['C-A1', 'C-A2'], shr: 'x', lvl: 3, qty: 2 });
    const r = await redeem({ text: v.text, units: 1 });
    expect(r.discount).toEqual({ level: 3, perk: '20% off' });
    expect(r.points).toEqual([
      { holder: 'C-RED', role: 'redeemer', points: 10, total: 10, level: 0, levelChanged: false },
      { holder: 'C-A1', role: 'holder', points: 5, total: 5, level: 0, levelChanged: false },
    ]);
    // The second redemption reaches the threshold exactly.
    const r2 = await redeem({ text: v.text, units: 1 });
    expect(r2.points![0]).toEqual({ holder: 'C-RED', role: 'redeemer', points: 10, total: 20, level: 1, levelChanged: true });
    expect((await callOk<HolderPoints>(core, 'points.show', { holder: 'C-A2' })).points).toBe(0);
    await reverse(r2.event!.id);
    const red = await callOk<HolderPoints>(core, 'points.show', { holder: 'C-RED' });
    expect(red).toMatchObject({ points: 10, level: 0, toNext: 10 });
    expect(red.entries.map((e) => e.delta)).toEqual([-10, 10, 10]);
  });

  it('mode s: everyone in the chain earns', async () => {
    const v = await issuer.mint('shared', { sub: 'C-S0', ref: ['C-S1', 'C-S2', 'C-S3'], shr: 's' });
    const r = await redeem({ text: v.text });
    expect(r.points!.map((p) => [p.holder, p.points])).toEqual([['C-S0', 10], ['C-S1', 5], ['C-S2', 5], ['C-S3', 5]]);
  });

  it('the stored totals are what the entries add up to', () => {
    const rows = core.db
      .prepare('SELECT h.points, (SELECT SUM(delta) FROM points_entries e WHERE e.holder = h.holder) AS fromEntries FROM holder_points h')
      .all() as { points: number; fromEntries: number }[];
    expect(rows.length).toBeGreaterThan(3);
    for (const r of rows) expect(r.points).toBe(r.fromEntries);
  });
});

