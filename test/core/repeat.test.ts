/**
 * A double read at the counter (the same voucher again within REPEAT_WINDOW_MS
 * of its redemption here) keeps the green answer, marked `repeat`, and records
 * nothing; after the window, after another voucher, after a reversal, or once
 * another device's redemption of it stands, it is decided as usual. And what
 * Enter takes on the units question (`take`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedeemResult } from '../../preload/contract';
import type { Core } from '../../main/core/services';
import { REPEAT_WINDOW_MS } from '../../main/core/redeem/redeem';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { callOk, newWorkstation } from '../support/workstation';

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

/** Every scan here is at a stated time (seconds, ahead of the clock this workstation trusts), a minute apart per test. */
let clock = Math.floor(Date.now() / 1000);
const at = (offsetMs: number) => clock + offsetMs / 1000;
const scan = (text: string, offsetMs: number, answers: Record<string, unknown> = {}) =>
  callOk<RedeemResult>(core, 'voucher.redeem', { text, unlessAsking: true, now: at(offsetMs), ...answers });
const answer = (text: string, offsetMs: number, answers: Record<string, unknown>) => callOk<RedeemResult>(core, 'voucher.redeem', { text, now: at(offsetMs), ...answers });
const events = () => (core.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;

describe('a double read at the counter', () => {
  it('is the same green answer again within the window, marked repeat, and records nothing', async () => {
    clock += 60;
    const { text } = await issuer.mint('item', { qty: 1 });
    const first = await scan(text, 0);
    expect(first.verdict).toBe('VALID');
    const n = events();
    const again = await scan(text, REPEAT_WINDOW_MS - 100);
    expect(again).toMatchObject({ verdict: 'VALID', repeat: true, event: { id: first.event!.id, units: 1 }, remaining: { left: 0 } });
    expect(first.repeat).toBeUndefined();
    expect(events()).toBe(n);
    // Pressed twice more, still inside the window counted from the redemption: the same.
    expect((await scan(text, REPEAT_WINDOW_MS - 10)).repeat).toBe(true);
  });

  it('after the window it is refused as already redeemed', async () => {
    clock += 60;
    const { text } = await issuer.mint('item', { qty: 1 });
    const first = await scan(text, 0);
    const late = await scan(text, REPEAT_WINDOW_MS);
    expect(late).toMatchObject({ verdict: 'ALREADY_REDEEMED', detail: { reason: 'nothingLeft' }, last: { eventId: first.event!.id } });
    expect(late.repeat).toBeUndefined();
  });

  it('only the last redemption made here counts: after another voucher, it is refused', async () => {
    clock += 60;
    const a = await issuer.mint('item', { qty: 1 });
    const b = await issuer.mint('item', { qty: 1 });
    expect((await scan(a.text, 0)).verdict).toBe('VALID');
    expect((await scan(b.text, 500)).verdict).toBe('VALID');
    expect((await scan(a.text, 1000)).verdict).toBe('ALREADY_REDEEMED');
  });

  it('a verify is never a repeat; an explicit redeem (the CLI) is decided as asked', async () => {
    clock += 60;
    const { text } = await issuer.mint('item', { qty: 1 });
    await scan(text, 0);
    expect((await callOk<RedeemResult>(core, 'voucher.verify', { text, now: at(100) })).verdict).toBe('ALREADY_REDEEMED');
    expect((await answer(text, 200, {})).verdict).toBe('ALREADY_REDEEMED');
  });

  it('a units question answered, then the same code read again: the answer stands, no second question', async () => {
    clock += 60;
    const { text } = await issuer.mint('item', { qty: 10 });
    expect((await scan(text, 0)).ask).toEqual({ for: 'units', max: 10, take: 1 });
    const taken = await answer(text, 2000, { units: 1 });
    expect(taken).toMatchObject({ verdict: 'VALID', remaining: { left: 9 } });
    const again = await scan(text, 3000);
    expect(again).toMatchObject({ verdict: 'VALID', repeat: true, event: { id: taken.event!.id }, remaining: { left: 9 } });
    expect(again.ask).toBeUndefined();
    // A real next visit (after the window) is asked again.
    expect((await scan(text, 2000 + REPEAT_WINDOW_MS)).ask).toEqual({ for: 'units', max: 9, take: 1 });
  });

  it('once the redemption is reversed, or another device redeemed the voucher after it, it is decided as usual', async () => {
    clock += 60;
    const undone = await issuer.mint('item', { qty: 1 });
    const first = await scan(undone.text, 0);
    await callOk(core, 'ledger.reverse', { adminToken: ws.token, eventId: first.event!.id, reason: 'test' });
    const after = await scan(undone.text, 1000);
    expect(after.repeat).toBeUndefined();
    expect(after.event!.id).not.toBe(first.event!.id); // redeemed anew: the reversal gave it back

    clock += 60;
    const { text, jti } = await issuer.mint('item', { qty: 2 });
    const here = await answer(text, 0, { units: 1 });
    core.ledger.appendRemote({
      id: '01JREMOTEREDEMPTION0000000',
      type: 'redemption',
      iss: 'gb.test',
      jti,
      mid: 'M-TEST',
      branch: 'B02',
      device: 'B02-POS1',
      cashier: 'Bo',
      at: at(500),
      units: 1,
      amount: null,
      cur: null,
      member: null,
      offline: true,
    });
    const refused = await scan(text, 1000);
    expect(refused).toMatchObject({ verdict: 'ALREADY_REDEEMED', last: { device: 'B02-POS1' } });
    expect(refused.last!.eventId).not.toBe(here.event!.id);
  });
});

describe('what Enter takes on the units question (take)', () => {
  it('one unit of a 10-visit card; all of them on the last visit a voucher allows', async () => {
    clock += 60;
    const card = await issuer.mint('item', { qty: 10 });
    expect((await scan(card.text, 0)).ask).toEqual({ for: 'units', max: 10, take: 1 });
    const gift = await issuer.mint('gift', { qty: 3 });
    expect((await scan(gift.text, 0)).ask).toEqual({ for: 'units', max: 3, take: 1 });
    // A single-visit group-buy for a table of 4: one visit, all four units.
    const table = await issuer.mint('multi-use', { qty: 4, use: 1 });
    expect((await scan(table.text, 0)).ask).toEqual({ for: 'units', max: 4, take: 4 });
    // 10 coffees over at most 2 visits: one on the first, the rest on the last.
    const coffees = await issuer.mint('multi-use', { qty: 10, use: 2 });
    expect((await scan(coffees.text, 0)).ask).toEqual({ for: 'units', max: 10, take: 1 });
    await answer(coffees.text, 100, { units: 3 });
    expect((await scan(coffees.text, 100 + REPEAT_WINDOW_MS)).ask).toEqual({ for: 'units', max: 7, take: 7 });
  });
});
