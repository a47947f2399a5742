/**
 * A scan as the counter sends it: the core decides what to ask next (`ask`), and
 * each call opens the voucher exactly once (the codec is counted).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { askSchema, verdictDetailSchema, type CampaignView, type RedeemResult } from '../../preload/contract';
import type { Core } from '../../main/core/services';
import { openVoucher } from '../../main/core/vouchers/codec';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { callOk, newWorkstation } from '../support/workstation';

vi.mock('../../main/core/vouchers/codec', async (importOriginal) => {
  const codec = await importOriginal<typeof import('../../main/core/vouchers/codec')>();
  return { ...codec, openVoucher: vi.fn(codec.openVoucher) };
});
const opened = vi.mocked(openVoucher);

let issuer: TestIssuer;
let ws: Awaited<ReturnType<typeof newWorkstation>>;
let core: Core;

beforeAll(async () => {
  issuer = await makeTestIssuer();
  ws = await newWorkstation({ keysFile: null, content: undefined });
  core = ws.core;
  await callOk(core, 'keystore.import', { adminToken: ws.token, fileName: 'bundle.json', content: issuer.bundleJson });
});
afterAll(() => ws.cleanup());
beforeEach(() => {
  opened.mockClear();
});

/** The counter's call for a scan (and for the answers to its questions). */
const scan = async (input: Record<string, unknown>) => {
  const r = await callOk<RedeemResult>(core, 'voucher.redeem', { unlessAsking: true, ...input });
  if (r.ask) askSchema.parse(r.ask);
  if (r.detail) verdictDetailSchema.parse(r.detail);
  return r;
};
const redeem = (input: Record<string, unknown>) => callOk<RedeemResult>(core, 'voucher.redeem', input);
/** A redemption on an earlier visit (a minute ago, past the double-read window, within the clock's tolerance). */
const earlier = (input: Record<string, unknown>) => redeem({ ...input, now: Math.floor(Date.now() / 1000) - 60 });
const setCampaign = (c: Partial<CampaignView> & { id: string }) =>
  callOk<CampaignView>(core, 'campaigns.set', { adminToken: ws.token, name: c.id, stock: null, from: null, to: null, hours: null, ...c });

describe('what the core asks before recording', () => {
  it('nothing when one unit is left: redeemed at once (queue speed)', async () => {
    for (const [kind, qty, used] of [['item', 1, 0], ['item', 5, 4], ['gift', 1, 0]] as const) {
      const { text } = await issuer.mint(kind, { qty });
      if (used) await earlier({ text, units: used });
      const r = await scan({ text });
      expect(r.ask).toBeUndefined();
      expect(r.event).toMatchObject({ units: 1 });
    }
  });

  it('how many when more than one unit is left, up to all of them; nothing recorded', async () => {
    const { text } = await issuer.mint('item', { qty: 5 });
    await earlier({ text, units: 2 });
    const r = await scan({ text });
    expect(r).toMatchObject({ verdict: 'VALID', remaining: { left: 3, face: 5 }, ask: { for: 'units', max: 3, take: 1 } });
    expect(r.event).toBeUndefined();
    expect((await scan({ text: (await issuer.mint('gift', { qty: 2 })).text })).ask).toEqual({ for: 'units', max: 2, take: 1 });
    const answered = await redeem({ text, units: 2 });
    expect(answered.event).toMatchObject({ units: 2 });
    expect(answered.ask).toBeUndefined();
  });

  it('how many, bounded by the campaign’s stock left here', async () => {
    await setCampaign({ id: 'ASK-10', stock: 10 });
    await redeem({ text: (await issuer.mint('campaign', { cmp: 'ASK-10', qty: 8 })).text });
    expect((await scan({ text: (await issuer.mint('campaign', { cmp: 'ASK-10', qty: 5 })).text })).ask).toEqual({ for: 'units', max: 2, take: 1 });
    await setCampaign({ id: 'ASK-FREE' });
    expect((await scan({ text: (await issuer.mint('campaign', { cmp: 'ASK-FREE', qty: 5 })).text })).ask).toEqual({ for: 'units', max: 5, take: 1 });
  });

  it('the purchase amount of a stored-value voucher, whatever its balance', async () => {
    const { text } = await issuer.mint('value', { val: 10_000, cur: 'CNY' });
    await earlier({ text, amount: 7_500 });
    const r = await scan({ text });
    expect(r).toMatchObject({ verdict: 'VALID', remaining: { left: 2_500, face: 10_000 }, ask: { for: 'amount', balance: 2_500, cur: 'CNY' } });
    expect(r.event).toBeUndefined();
    const small = await issuer.mint('value', { val: 100, cur: 'CNY' });
    await earlier({ text: small.text, amount: 99 });
    expect((await scan({ text: small.text })).ask).toEqual({ for: 'amount', balance: 1, cur: 'CNY' });
  });

  it('the PIN first, again after a wrong one with the tries left; never when locked; then the units', async () => {
    const { text } = await issuer.mint('pin', { pin: '2580', qty: 2 });
    expect(await scan({ text })).toMatchObject({ verdict: 'PIN_REQUIRED', ask: { for: 'pin', wrong: false } });
    expect((await scan({ text, pin: '0000' })).ask).toEqual({ for: 'pin', wrong: true, triesLeft: 4 });
    const right = await scan({ text, pin: '2580' });
    expect(right).toMatchObject({ verdict: 'VALID', ask: { for: 'units', max: 2, take: 1 } });
    for (let i = 0; i < 4; i++) await scan({ text, pin: '0000' });
    const locked = await scan({ text, pin: '0000' });
    expect(locked).toMatchObject({ verdict: 'PIN_WRONG', triesLeft: 0, detail: { reason: 'locked' } });
    expect(locked.ask).toBeUndefined();
  });

  it('nothing for a refusal; the detail says why in a typed shape', async () => {
    const { text } = await issuer.mint('item', { qty: 1 });
    await earlier({ text });
    const again = await scan({ text });
    expect(again).toMatchObject({ verdict: 'ALREADY_REDEEMED', detail: { reason: 'nothingLeft' } });
    expect(again.ask).toBeUndefined();
    const trusted = core.settings.get('clock.trusted');
    const ahead = Date.now() + 3600_000;
    core.settings.set('clock.trusted', String(ahead));
    try {
      expect(await scan({ text: (await issuer.mint('item')).text })).toMatchObject({ verdict: 'CLOCK_BEHIND', detail: { reason: 'clockBehind', trustedAt: ahead } });
    } finally {
      core.settings.set('clock.trusted', trusted!);
    }
  });
});

describe('a scan opens the voucher once', () => {
  it('VALID, one unit: one call, one opening', async () => {
    const { text } = await issuer.mint('item', { qty: 1 });
    opened.mockClear();
    expect((await scan({ text })).event).toBeDefined();
    expect(opened).toHaveBeenCalledTimes(1);
  });

  it('units: the question and the answer, one opening each', async () => {
    const { text } = await issuer.mint('item', { qty: 3 });
    opened.mockClear();
    expect((await scan({ text })).ask?.for).toBe('units');
    expect(opened).toHaveBeenCalledTimes(1);
    expect((await redeem({ text, units: 2 })).event).toMatchObject({ units: 2 });
    expect(opened).toHaveBeenCalledTimes(2);
  });

  it('amount: the question and the answer, one opening each', async () => {
    const { text } = await issuer.mint('value', { val: 1_000, cur: 'CNY' });
    opened.mockClear();
    expect((await scan({ text })).ask?.for).toBe('amount');
    expect(opened).toHaveBeenCalledTimes(1);
    expect((await redeem({ text, amount: 400 })).event).toMatchObject({ amount: 400 });
    expect(opened).toHaveBeenCalledTimes(2);
  });

  it('PIN: the question and the PIN, one opening each', async () => {
    const { text } = await issuer.mint('pin', { pin: '1357' });
    opened.mockClear();
    expect((await scan({ text })).ask?.for).toBe('pin');
    expect(opened).toHaveBeenCalledTimes(1);
    expect((await scan({ text, pin: '1357' })).event).toBeDefined();
    expect(opened).toHaveBeenCalledTimes(2);
  });

  it('verifying opens it once too', async () => {
    const { text } = await issuer.mint('item', { qty: 2 });
    opened.mockClear();
    expect((await callOk<RedeemResult>(core, 'voucher.verify', { text })).verdict).toBe('VALID');
    expect(opened).toHaveBeenCalledTimes(1);
  });
});
