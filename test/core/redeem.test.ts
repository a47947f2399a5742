import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry, RedeemResult } from '../../preload/contract';
import type { Core } from '../../main/core/services';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { callErr, callOk, newWorkstation } from '../support/workstation';

let issuer: TestIssuer;
let ws: Awaited<ReturnType<typeof newWorkstation>>;
let core: Core;

beforeAll(async () => {
  issuer = await makeTestIssuer();
  ws = await newWorkstation({ keysFile: null, content: undefined });
  core = ws.core;
  await callOk(core, 'keystore.import', { adminToken: ws.token, fileName: 'bundle.json', content: issuer.bundleJson });
  await callOk(core, 'settings.set', { adminToken: ws.token, cashier: 'amy' });
});
afterAll(() => ws.cleanup());

const redeem = (input: Record<string, unknown>) => callOk<RedeemResult>(core, 'voucher.redeem', input);
const eventCount = () => (core.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;

describe('redeeming', () => {
  it('records a valid voucher once, then refuses it with when, where and by whom', async () => {
    const { text, jti } = await issuer.mint('item', { qty: 1 });
    const before = eventCount();
    const first = await redeem({ text });
    expect(first.verdict).toBe('VALID');
    expect(first.remaining).toEqual({ left: 0, face: 1, usesLeft: null });
    expect(first.event).toMatchObject({ type: 'redemption', iss: 'gb.test', jti, units: 1, device: 'TEST-POS', cashier: 'amy', branch: 'B01' });
    expect(first.event!.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/); // a ULID
    expect(eventCount()).toBe(before + 1);
    const row = core.db.prepare('SELECT * FROM events WHERE id = ?').get(first.event!.id) as Record<string, unknown>;
    expect(row).toMatchObject({ iss: 'gb.test', jti, mid: 'M-TEST', units: 1, device: 'TEST-POS', cashier: 'amy' });

    const again = await redeem({ text });
    expect(again.verdict).toBe('ALREADY_REDEEMED');
    expect(again.last).toEqual({ eventId: first.event!.id, at: first.event!.at, branch: 'B01', device: 'TEST-POS', cashier: 'amy' });
    expect(eventCount()).toBe(before + 1);
  });

  it('verifying records nothing', async () => {
    const { text } = await issuer.mint('item', { qty: 2 });
    const before = eventCount();
    const v = await callOk<RedeemResult>(core, 'voucher.verify', { text });
    expect(v.verdict).toBe('VALID');
    expect(v.remaining).toEqual({ left: 2, face: 2, usesLeft: null });
    expect(eventCount()).toBe(before);
  });

  it('takes units over several redemptions and never more than qty', async () => {
    const { text } = await issuer.mint('item', { qty: 3 });
    expect((await redeem({ text, units: 1 })).remaining!.left).toBe(2);
    const before = eventCount();
    expect((await callErr(core, 'voucher.redeem', { text, units: 5 })).code).toBe('redeem.tooManyUnits');
    expect(eventCount()).toBe(before);
    const rest = await redeem({ text }); // default: all that remain
    expect(rest.event!.units).toBe(2);
    expect(rest.remaining!.left).toBe(0);
    expect((await redeem({ text, units: 1 })).verdict).toBe('ALREADY_REDEEMED');
  });

  it('spends stored value down, says what is still due, then "balance used up"', async () => {
    const { text } = await issuer.mint('value', { val: 3000, cur: 'CNY' });
    expect((await callErr(core, 'voucher.redeem', { text })).code).toBe('redeem.amountRequired');
    const a = await redeem({ text, amount: 1000 });
    expect(a.event).toMatchObject({ amount: 1000, cur: 'CNY', units: null });
    expect(a.remaining!.left).toBe(2000);
    const b = await redeem({ text, amount: 5000 });
    expect(b.event!.amount).toBe(2000);
    expect(b.due).toBe(3000);
    const c = await redeem({ text, amount: 100 });
    expect(c.verdict).toBe('ALREADY_REDEEMED');
    expect(c.detail).toEqual({ reason: 'balanceUsedUp' });
  });

  it('caps the number of redemption events with use', async () => {
    const { text } = await issuer.mint('multi-use', { qty: 10, use: 2 });
    expect((await redeem({ text, units: 1 })).remaining).toEqual({ left: 9, face: 10, usesLeft: 1 });
    await redeem({ text, units: 1 });
    const third = await redeem({ text, units: 1 });
    expect(third.verdict).toBe('ALREADY_REDEEMED');
    expect(third.detail).toEqual({ reason: 'useCapReached' });
  });

  it('refuses garbage as not a voucher and changes nothing', async () => {
    const before = eventCount();
    for (const text of ['hello', '4006381333931', 'GBV1:not.a.real.voucher.text', 'x'.repeat(5000)]) {
      expect((await redeem({ text })).verdict).toBe('MALFORMED');
    }
    expect(eventCount()).toBe(before);
  });

  it('refuses a voucher for another merchant, an expired one and one not yet valid', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await redeem({ text: (await issuer.mint('item', { mid: 'M-ELSE' })).text })).verdict).toBe('WRONG_MERCHANT');
    expect((await redeem({ text: (await issuer.mint('item', { exp: now - 121 })).text })).verdict).toBe('EXPIRED');
    expect((await redeem({ text: (await issuer.mint('item', { exp: now - 60 })).text })).verdict).toBe('VALID'); // within tolerance
    expect((await redeem({ text: (await issuer.mint('item', { nbf: now + 3600 })).text })).verdict).toBe('NOT_YET_VALID');
  });

  it('refuses when the clock is behind the latest trusted time by more than the tolerance', async () => {
    const { text } = await issuer.mint('item');
    const trusted = core.settings.get('clock.trusted');
    core.settings.set('clock.trusted', String(Date.now() + 3600_000));
    try {
      const r = await redeem({ text });
      expect(r.verdict).toBe('CLOCK_BEHIND');
      await callOk(core, 'settings.set', { adminToken: ws.token, toleranceSeconds: 7200 });
      expect((await callOk<RedeemResult>(core, 'voucher.verify', { text })).verdict).toBe('VALID');
    } finally {
      core.settings.set('clock.trusted', trusted!);
      await callOk(core, 'settings.set', { adminToken: ws.token, toleranceSeconds: 120 });
    }
  });

  it('asks for the PIN, counts wrong ones, locks for 15 minutes after 5, then takes the right one', async () => {
    const { text } = await issuer.mint('pin', { pin: '4821' });
    const t0 = Math.floor(Date.now() / 1000);
    expect((await redeem({ text, now: t0 })).verdict).toBe('PIN_REQUIRED');
    for (let i = 1; i <= 4; i++) {
      const r = await redeem({ text, pin: '0000', now: t0 });
      expect(r.verdict).toBe('PIN_WRONG');
      expect(r.triesLeft).toBe(5 - i);
    }
    const fifth = await redeem({ text, pin: '0000', now: t0 });
    expect(fifth).toMatchObject({ verdict: 'PIN_WRONG', triesLeft: 0, detail: { reason: 'locked', until: t0 * 1000 + 15 * 60 * 1000 } });
    expect(fifth.ask).toBeUndefined(); // locked: no PIN prompt
    // Locked: even the right PIN is refused until the lock ends.
    expect((await redeem({ text, pin: '4821', now: t0 + 60 })).detail).toEqual({ reason: 'locked', until: t0 * 1000 + 15 * 60 * 1000 });
    const later = await redeem({ text, pin: '4821', now: t0 + 15 * 60 + 1 });
    expect(later.verdict).toBe('VALID');
  });
});

describe('the counter\'s one-call scan (unlessAsking)', () => {
  it('redeems at once when nothing needs asking, and otherwise answers like verify without recording', async () => {
    const single = await issuer.mint('item', { qty: 1 });
    const one = await redeem({ text: single.text, unlessAsking: true });
    expect(one).toMatchObject({ verdict: 'VALID', remaining: { left: 0 } });
    expect(one.event).toMatchObject({ jti: single.jti, units: 1 });

    const before = eventCount();
    const multi = await redeem({ text: (await issuer.mint('item', { qty: 3 })).text, unlessAsking: true });
    expect(multi).toMatchObject({ verdict: 'VALID', remaining: { left: 3 } });
    expect(multi.event).toBeUndefined();
    const value = await redeem({ text: (await issuer.mint('value', { val: 500 })).text, unlessAsking: true });
    expect(value.event).toBeUndefined();
    const pin = await issuer.mint('pin', { pin: '1357' });
    expect((await redeem({ text: pin.text, unlessAsking: true })).verdict).toBe('PIN_REQUIRED');
    expect(eventCount()).toBe(before);

    const withPin = await redeem({ text: pin.text, pin: '1357', unlessAsking: true });
    expect(withPin.event).toMatchObject({ jti: pin.jti });
    expect((await redeem({ text: single.text, unlessAsking: true })).verdict).toBe('ALREADY_REDEEMED');
  });
});

describe('undo', () => {
  it('needs the admin, appends a reversal event, frees the units, and never deletes', async () => {
    const { text } = await issuer.mint('item', { qty: 1 });
    const r = await redeem({ text });
    const id = r.event!.id;
    expect((await callErr(core, 'ledger.reverse', { adminToken: 'x', eventId: id })).code).toBe('admin.required');
    const before = eventCount();
    const rev = await callOk<HistoryEntry>(core, 'ledger.reverse', { adminToken: ws.token, eventId: id, reason: 'wrong voucher' });
    expect(rev).toMatchObject({ type: 'reversal', reverses: id, reason: 'wrong voucher', units: 1 });
    expect(eventCount()).toBe(before + 1);
    expect(core.db.prepare('SELECT type FROM events WHERE id = ?').get(id)).toEqual({ type: 'redemption' });
    expect((await callErr(core, 'ledger.reverse', { adminToken: ws.token, eventId: id })).code).toBe('ledger.alreadyReversed');
    expect((await callErr(core, 'ledger.reverse', { adminToken: ws.token, eventId: rev.id })).code).toBe('ledger.notARedemption');
    expect((await callErr(core, 'ledger.reverse', { adminToken: ws.token, eventId: 'NOPE' })).code).toBe('ledger.unknownEvent');
    const history = await callOk<HistoryEntry[]>(core, 'ledger.history', { limit: 5 });
    expect(history[0]).toMatchObject({ id: rev.id, type: 'reversal' });
    expect(history.find((h) => h.id === id)!.reversedBy).toBe(rev.id);
    // The voucher can be used again.
    expect((await redeem({ text })).verdict).toBe('VALID');
  });

  it('keeps the maintained totals equal to what the events say', () => {
    const rows = core.db
      .prepare(
        `SELECT v.used, COALESCE((SELECT SUM(CASE e.type WHEN 'redemption' THEN COALESCE(e.units, e.amount) ELSE -COALESCE(e.units, e.amount) END)
                       FROM events e WHERE e.iss = v.iss AND e.jti = v.jti), 0) AS fromEvents
         FROM vouchers v`,
      )
      .all() as { used: number; fromEvents: number }[];
    expect(rows.length).toBeGreaterThan(3);
    for (const r of rows) expect(r.used).toBe(r.fromEvents);
  });
});
