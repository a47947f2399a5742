/**
 * The counter with staff: nobody signed in, no counter call; the signed-in
 * person stamped on events; a cashier refused a manager's action naming the
 * role, a manager's approval recorded with both names (audit and reversal);
 * the idle sign-out on the core's clock; without staff everything as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppInfo, HistoryEntry, RedeemResult, StaffMember, StaffState } from '../../preload/contract';
import { newShop, type Shop } from '../support/staff';
import { callErr, callOk } from '../support/workstation';

describe('the counter without staff accounts', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await newShop();
  });
  afterAll(() => shop.cleanup());

  it('redeems without anyone signing in, stamps the cashier setting, and the owner passphrase token does the rest', async () => {
    expect(await callOk<StaffState>(shop.core, 'staff.state', {})).toEqual({ enabled: false, current: null, idleMinutes: 10 });
    await callOk(shop.core, 'settings.set', { adminToken: shop.token, cashier: 'Till 1' });
    const r = await callOk<RedeemResult>(shop.core, 'voucher.redeem', { text: (await shop.issuer.mint('item')).text });
    expect(r.verdict).toBe('VALID');
    expect(shop.core.ledger.event(r.event!.id)?.cashier).toBe('Till 1');
    expect(await callErr(shop.core, 'ledger.reverse', { eventId: r.event!.id })).toMatchObject({ code: 'admin.required' });
    const rev = await callOk<HistoryEntry>(shop.core, 'ledger.reverse', { adminToken: shop.token, eventId: r.event!.id, reasonCode: 'scannedTwice' });
    expect(shop.core.ledger.event(rev.id)?.cashier).toBe('Till 1');
    expect(shop.core.audit.list().find((e) => e.action === 'settings')).toMatchObject({ actor: 'owner', detail: { keys: 'cashier' } });
  });
});

describe('the counter with staff accounts', () => {
  let shop: Shop;
  let amy: StaffMember;
  let bo: StaffMember;
  beforeAll(async () => {
    shop = await newShop();
    amy = await shop.add('Amy', 'cashier', '2468');
    bo = await shop.add('Bo', 'manager', '4321');
  });
  afterAll(() => shop.cleanup());

  const signIn = (staffId: string, pin: string) => callOk<StaffState>(shop.core, 'staff.signIn', { staffId, pin });

  it('refuses counter calls while nobody is signed in, in words for the screens', async () => {
    const text = (await shop.issuer.mint('item')).text;
    for (const [name, input] of [
      ['voucher.verify', { text }],
      ['voucher.redeem', { text }],
      ['crm.lookupPhone', { phone: '1380000' }],
      ['crm.search', { q: 'A' }],
    ] as const) {
      expect(await callErr(shop.core, name, input)).toEqual({ code: 'staff.signInRequired', message: 'Sign in first: scan your badge or enter your PIN.' });
    }
    expect(shop.core.db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 0 });
  });

  it('stamps the signed-in person on a redemption; a cashier undoing is refused naming the manager role; a manager approves, recorded with both names', async () => {
    await callOk(shop.core, 'settings.set', { adminToken: shop.token, cashier: 'Till 1' });
    await signIn(amy.id, '2468');
    const r = await callOk<RedeemResult>(shop.core, 'voucher.redeem', { text: (await shop.issuer.mint('item')).text });
    expect(shop.core.ledger.event(r.event!.id)?.cashier).toBe('Amy');

    const refused = await callErr(shop.core, 'ledger.reverse', { eventId: r.event!.id, reasonCode: 'scannedTwice' });
    expect(refused).toMatchObject({ code: 'staff.roleRequired', params: { role: 'manager' } });
    // A cashier cannot approve for a manager's action.
    expect(await callErr(shop.core, 'staff.approve', { staffId: amy.id, pin: '2468', need: 'manager' })).toMatchObject({ code: 'staff.roleRequired', params: { role: 'manager' } });
    const ok = await callOk<{ token: string; name: string; role: string }>(shop.core, 'staff.approve', { staffId: bo.id, pin: '4321', need: 'manager' });
    expect(ok).toMatchObject({ name: 'Bo', role: 'manager' });
    const rev = await callOk<HistoryEntry>(shop.core, 'ledger.reverse', { adminToken: ok.token, eventId: r.event!.id, reasonCode: 'scannedTwice' });
    expect(shop.core.ledger.event(rev.id)?.cashier).toBe('Bo');
    const [undo, used, approved] = shop.core.audit.list({ limit: 3 });
    expect(undo).toMatchObject({ action: 'undo', actor: 'Amy', role: 'cashier', approver: 'Bo', detail: { event: rev.id, reason: 'scannedTwice', late: false } });
    expect(used).toMatchObject({ action: 'override', actor: 'Amy', role: 'cashier', approver: 'Bo', detail: { need: 'manager' } });
    expect(approved).toMatchObject({ action: 'override', actor: 'Amy', approver: 'Bo', detail: { step: 'approve', need: 'manager', how: 'pin' } });
    // The manager's token is not the owner's: the owner's settings stay refused, naming the owner.
    expect(await callErr(shop.core, 'settings.set', { adminToken: ok.token, toleranceSeconds: 5 })).toMatchObject({ code: 'staff.roleRequired', params: { role: 'owner' } });
    await callOk(shop.core, 'staff.signOut', {});
  });

  it('a manager signed in acts within their role without a token; the owner passphrase still works for everything', async () => {
    await signIn(bo.id, '4321');
    const r = await callOk<RedeemResult>(shop.core, 'voucher.redeem', { text: (await shop.issuer.mint('item')).text });
    const rev = await callOk<HistoryEntry>(shop.core, 'ledger.reverse', { eventId: r.event!.id, reasonCode: 'scannedTwice' });
    expect(shop.core.ledger.event(rev.id)?.cashier).toBe('Bo');
    expect(await callErr(shop.core, 'audit.list', {})).toMatchObject({ code: 'staff.roleRequired', params: { role: 'owner' } });
    await callOk(shop.core, 'staff.signOut', {});
    const token = await shop.login();
    expect((await callOk<unknown[]>(shop.core, 'audit.list', { adminToken: token })).length).toBeGreaterThan(3);
    await callOk(shop.core, 'settings.set', { adminToken: token, toleranceSeconds: 60 });
  });

  it('signs out after the idle minutes without a call at the counter, and a call keeps the person signed in', async () => {
    await shop.login();
    await callOk(shop.core, 'staff.setIdle', { adminToken: shop.token, minutes: 10 });
    const st = await signIn(amy.id, '2468');
    expect(st.current?.idleSignOutAt).toBe(shop.now() + 10 * 60_000);
    shop.advance(9 * 60_000);
    await callOk(shop.core, 'voucher.verify', { text: (await shop.issuer.mint('item')).text });
    shop.advance(9 * 60_000);
    // Passive reads (the screens' own) are not activity, and see the person still signed in.
    expect((await callOk<StaffState>(shop.core, 'staff.state', {})).current?.name).toBe('Amy');
    shop.changes.length = 0;
    shop.advance(60_001);
    expect((await callOk<StaffState>(shop.core, 'staff.state', {})).current).toBeNull();
    expect(shop.changes.at(-1)).toMatchObject({ enabled: true, current: null });
    expect(shop.core.audit.list()[0]).toMatchObject({ action: 'signOut', actor: 'Amy', detail: { reason: 'idle' } });
    expect(await callErr(shop.core, 'voucher.verify', { text: 'x' })).toMatchObject({ code: 'staff.signInRequired' });
  });

  it('an idle time of 0 never signs out; switching person is one sign-in, recorded', async () => {
    await shop.login();
    await callOk(shop.core, 'staff.setIdle', { adminToken: shop.token, minutes: 0 });
    await signIn(amy.id, '2468');
    shop.advance(8 * 60 * 60_000);
    expect((await callOk<StaffState>(shop.core, 'staff.state', {})).current).toMatchObject({ name: 'Amy', idleSignOutAt: null });
    expect((await signIn(bo.id, '4321')).current?.name).toBe('Bo');
    const [inBo, outAmy] = shop.core.audit.list({ limit: 2 });
    expect(inBo).toMatchObject({ action: 'signIn', actor: 'Bo' });
    expect(outAmy).toMatchObject({ action: 'signOut', actor: 'Amy', detail: { reason: 'switch' } });
    await callOk(shop.core, 'staff.signOut', {});
  });

  it('the audit log exports as CSV with a header, formula-like cells defused, and the export is itself recorded', async () => {
    await shop.login();
    const odd = await shop.add('=HYPERLINK("x")', 'cashier', '5555');
    await signIn(odd.id, '5555');
    await callOk(shop.core, 'staff.signOut', {});
    await shop.login();
    const out = await callOk<{ fileName: string; content: string }>(shop.core, 'audit.export', { adminToken: shop.token });
    expect(out.fileName).toMatch(/^voucherdesk-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = out.content.trimEnd().split('\r\n');
    expect(lines[0]).toBe('seq,at,action,actor,role,staffId,approver,detail');
    expect(lines[1]).toMatch(/^1,\d{4}-\d\d-\d\dT[\d:.]+Z,/);
    expect(out.content).toContain('"{""change"":""add"",""staff"":');
    expect(out.content).toContain(`"'=HYPERLINK(""x"")",cashier`);
    expect(out.content).not.toMatch(/(^|,)=HYPERLINK/m);
    expect(out.content).not.toMatch(/2468|4321|5555/);
    expect(shop.core.audit.list()[0]).toMatchObject({ action: 'export', actor: 'owner', detail: { what: 'audit', lines: lines.length - 1 } });
  });

  it('says who must unlock: the owner where the keys are under the passphrase', async () => {
    expect((await callOk<AppInfo>(shop.core, 'app.info', {})).unlockBy).toBe('owner');
  });
});
