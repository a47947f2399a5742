/**
 * Staff accounts: the PIN kept only as a slow KDF's hash with its parameters,
 * wrong PINs refused and throttled, badges signed with the merchant's key that
 * sign in and are withdrawn by the next one, the owner's rules on accounts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedeemResult, StaffMember, StaffState } from '../../preload/contract';
import { StaffLockout } from '../../main/core/staff/lockout';
import { PIN_KDF } from '../../main/core/staff/pin';
import { Settings } from '../../main/core/settings';
import { databaseAt } from './migrations/schema';
import { newShop, type Shop } from '../support/staff';
import { callErr, callOk } from '../support/workstation';

describe('staff accounts and PINs', () => {
  let shop: Shop;
  let amy: StaffMember;
  beforeAll(async () => {
    shop = await newShop();
    amy = await shop.add('Amy', 'cashier', '2468');
  });
  afterAll(() => shop.cleanup());

  it('keeps a PIN only as scrypt hash, salt and parameters on the account, never in the audit log', async () => {
    expect(amy).toMatchObject({ name: 'Amy', role: 'cashier', active: true, hasBadge: false });
    const row = shop.core.db.prepare('SELECT * FROM staff WHERE id = ?').get(amy.id) as Record<string, string>;
    expect(JSON.parse(row.pin_kdf!)).toEqual(PIN_KDF);
    expect(PIN_KDF).toMatchObject({ alg: 'scrypt', N: 16384, r: 8 });
    expect(Buffer.from(row.pin_hash!, 'base64')).toHaveLength(32);
    expect(Buffer.from(row.pin_salt!, 'base64')).toHaveLength(16);
    expect(JSON.stringify(row)).not.toContain('2468');
    const lines = shop.core.audit.list();
    expect(lines[0]).toMatchObject({ action: 'staff', actor: 'owner', detail: { change: 'add', staff: amy.id, name: 'Amy', role: 'cashier' } });
    expect(JSON.stringify(lines)).not.toContain('2468');
  });

  it('signs in with the right PIN, refuses a wrong one, and knows no made-up account', async () => {
    expect(await callErr(shop.core, 'staff.signIn', { staffId: amy.id, pin: '1111' })).toMatchObject({ code: 'staff.wrongPin' });
    expect(await callErr(shop.core, 'staff.signIn', { staffId: 'S-nobody', pin: '1111' })).toMatchObject({ code: 'staff.unknownStaff' });
    const st = await callOk<StaffState>(shop.core, 'staff.signIn', { staffId: amy.id, pin: '2468' });
    expect(st).toMatchObject({ enabled: true, current: { id: amy.id, name: 'Amy', role: 'cashier' } });
    expect(shop.core.audit.list()[0]).toMatchObject({ action: 'signIn', actor: 'Amy', detail: { how: 'pin' } });
    await callOk(shop.core, 'staff.signOut', {});
  });

  it('after 5 wrong PINs in a row even the right one waits, 30 s, then it works again', async () => {
    await shop.login(); // a sign-out ends the tokens given while someone was signed in
    const cy = await shop.add('Cy', 'cashier', '1357');
    for (let i = 0; i < 5; i++) expect((await callErr(shop.core, 'staff.signIn', { staffId: cy.id, pin: '0000' })).code).toBe('staff.wrongPin');
    const locked = await callErr(shop.core, 'staff.signIn', { staffId: cy.id, pin: '1357' });
    expect(locked).toMatchObject({ code: 'staff.lockedOut', params: { seconds: 30 } });
    // Another account is not locked by Cy's count.
    expect((await callOk<StaffState>(shop.core, 'staff.signIn', { staffId: amy.id, pin: '2468' })).current?.name).toBe('Amy');
    shop.advance(31_000);
    expect((await callOk<StaffState>(shop.core, 'staff.signIn', { staffId: cy.id, pin: '1357' })).current?.name).toBe('Cy');
    await callOk(shop.core, 'staff.signOut', {});
  });

  it('one name once (whatever its case), and the last active owner account stays an owner', async () => {
    await shop.login();
    expect(await callErr(shop.core, 'staff.add', { adminToken: shop.token, name: ' amy ', role: 'manager', pin: '9999' })).toMatchObject({ code: 'staff.nameTaken' });
    const dee = await shop.add('Dee', 'owner', '8642');
    expect(await callErr(shop.core, 'staff.update', { adminToken: shop.token, id: dee.id, active: false })).toMatchObject({ code: 'staff.lastOwner' });
    expect(await callErr(shop.core, 'staff.update', { adminToken: shop.token, id: dee.id, role: 'manager' })).toMatchObject({ code: 'staff.lastOwner' });
    const m = await callOk<StaffMember>(shop.core, 'staff.update', { adminToken: shop.token, id: amy.id, name: 'Amy W', pin: '1212' });
    expect(m.name).toBe('Amy W');
    expect(shop.core.audit.list()[0]).toMatchObject({ action: 'staff', detail: { change: 'update', staff: amy.id, name: 'Amy W', pin: true } });
    expect(JSON.stringify(shop.core.audit.list()[0])).not.toContain('1212');
    expect(await callErr(shop.core, 'staff.signIn', { staffId: amy.id, pin: '2468' })).toMatchObject({ code: 'staff.wrongPin' });
  });
});

describe('staff badges', () => {
  let shop: Shop;
  let bo: StaffMember;
  beforeAll(async () => {
    shop = await newShop();
    bo = await shop.add('Bo', 'manager', '4321');
  });
  afterAll(() => shop.cleanup());

  const badge = async (id: string) => (await callOk<{ text: string }>(shop.core, 'staff.badge', { adminToken: shop.token, id })).text;

  it('a badge is a merchant-signed GBV2 code that signs its person in; the voucher path refuses it and records nothing', async () => {
    const text = await badge(bo.id);
    expect(text.startsWith('GBV2:')).toBe(true);
    expect((await callOk<StaffMember[]>(shop.core, 'staff.list', {}))[0]).toMatchObject({ id: bo.id, hasBadge: true });
    const st = await callOk<StaffState>(shop.core, 'staff.signIn', { badge: text });
    expect(st.current).toMatchObject({ id: bo.id, name: 'Bo', role: 'manager' });
    expect(shop.core.audit.list()[0]).toMatchObject({ action: 'signIn', actor: 'Bo', detail: { how: 'badge' } });
    const r = await callOk<RedeemResult>(shop.core, 'voucher.redeem', { text, unlessAsking: true });
    expect(r).toMatchObject({ verdict: 'EXPIRED', voucher: { iss: `merchant:${shop.issuer.merchant.id}`, exp: 1 } });
    expect(r.voucher?.jti.startsWith('staff-')).toBe(true);
    expect(shop.core.db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 0 });
    await callOk(shop.core, 'staff.signOut', {});
  });

  it('issuing a new badge withdraws the old one; a member card or a voucher is no badge; a turned-off account cannot use its badge', async () => {
    await shop.login();
    const old = await badge(bo.id);
    const fresh = await badge(bo.id);
    expect(await callErr(shop.core, 'staff.signIn', { badge: old })).toMatchObject({ code: 'staff.badgeWithdrawn' });
    expect((await callOk<StaffState>(shop.core, 'staff.signIn', { badge: fresh })).current?.name).toBe('Bo');
    await callOk(shop.core, 'staff.signOut', {});
    await shop.login();
    const alice = (await callOk<{ member: { id: string } }>(shop.core, 'crm.memberAdd', { name: 'Alice', phone: '13800000001' })).member;
    const card = (await callOk<{ text: string }>(shop.core, 'crm.cardToken', { memberId: alice.id })).text;
    expect(await callErr(shop.core, 'staff.signIn', { badge: card })).toMatchObject({ code: 'staff.notABadge' });
    expect(await callErr(shop.core, 'staff.signIn', { badge: (await shop.issuer.mint('item')).text })).toMatchObject({ code: 'staff.notABadge' });
    expect(await callErr(shop.core, 'staff.signIn', { badge: 'hello' })).toMatchObject({ code: 'staff.notABadge' });
    await callOk(shop.core, 'staff.update', { adminToken: shop.token, id: bo.id, active: false });
    expect(await callErr(shop.core, 'staff.signIn', { badge: fresh })).toMatchObject({ code: 'staff.inactive' });
    expect(shop.core.audit.list({ limit: 50 }).filter((e) => e.action === 'staff').map((e) => e.detail.change)).toEqual(['update', 'badge', 'badge', 'badge', 'add']);
  });
});

describe('the staff PIN lockout', () => {
  it('counts per account and over all accounts, survives a new object on the same database, and a right PIN resets', () => {
    const db = databaseAt(6);
    let now = 1_000_000;
    const settings = new Settings(db);
    const lock = new StaffLockout(settings, () => now);
    for (let i = 0; i < 5; i++) lock.failed('A');
    expect(() => lock.check('A')).toThrow(expect.objectContaining({ code: 'staff.lockedOut', params: { seconds: 30 } }));
    lock.check('B');
    // Trying PINs across every name: after 15 wrong ones in a row, all accounts wait.
    for (let i = 0; i < 10; i++) lock.failed(`P${i}`);
    expect(() => new StaffLockout(settings, () => now).check('Z')).toThrow(expect.objectContaining({ code: 'staff.lockedOut' }));
    now += 31_000;
    lock.check('Z');
    lock.failed('A');
    expect(() => lock.check('A')).toThrow(expect.objectContaining({ params: { seconds: 60 } }));
    now += 61_000;
    lock.succeeded('A');
    lock.failed('A');
    lock.check('A');
    db.close();
  });
});
