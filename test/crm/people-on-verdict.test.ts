import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskId, maskIds, ULID_PATTERN } from '../../common/people/mask';
import type { MemberRow, MemberView, RedeemResult } from '../../preload/contract';
import type { Core } from '../../main/core/services';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { callErr, callOk, newWorkstation } from '../support/workstation';

// Issue 12, items 4 and 5: people on the counter by name (or masked), never by a raw id; phone lookup by the last 4 digits.
let core: Core;
let token: string;
let cleanup: () => void;
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await makeTestIssuer();
  ({ core, token, cleanup } = await newWorkstation({ keysFile: null, content: issuer.bundleJson }));
});
afterAll(() => cleanup?.());

const add = async (name: string, phone: string, extra: Record<string, unknown> = {}) =>
  (await callOk<{ member: MemberView }>(core, 'crm.memberAdd', { name, phone, allowDuplicate: true, ...extra })).member;
const redeem = (text: string) => callOk<RedeemResult>(core, 'voucher.redeem', { text });
const visible = (r: RedeemResult) => JSON.stringify({ people: r.people });

describe('masking ids', () => {
  it('masks a ULID to its last four characters, a short id to its ends, and cuts ULIDs inside voucher numbers', () => {
    expect(maskId('01JD3ZQ7K2M4N6P8R0S2T4V6W8')).toBe('·V6W8');
    expect(maskId('C-1024')).toBe('C-…24');
    expect(maskId('C12')).toBe('C12');
    expect(maskIds('wl-01JD3ZQ7K2M4N6P8R0S2T4V6W8')).toBe('wl-…V6W8');
    expect(maskIds('rw-01JD3ZQ7K2M4N6P8R0S2T4V6W8-1')).not.toMatch(ULID_PATTERN);
  });
});

describe('people on the verdict', () => {
  it('names the customer the CRM knows (by a linked holder id), masks one it does not', async () => {
    await add('Grace Hopper', '13700001111', { holders: ['C-2048'] });
    const known = await redeem((await issuer.mint('item', { sub: 'C-2048' })).text);
    expect(known.verdict).toBe('VALID');
    expect(known.people?.customer).toBe('Grace Hopper');
    const unknown = await redeem((await issuer.mint('item', { sub: 'C-1024' })).text);
    expect(unknown.people?.customer).toBe('C-…24');
    expect(visible(unknown)).not.toContain('C-1024');
  });

  it('names the member selected at the counter on the verdict of the redemption that went on them', async () => {
    const ann = await add('Ann Lee', '13700002222');
    const card = await callOk<{ text: string }>(core, 'crm.cardToken', { memberId: ann.id });
    await callOk(core, 'crm.counterScan', { text: card.text });
    const r = await redeem((await issuer.mint('item')).text);
    expect(r.people?.member).toBe('Ann Lee');
    expect(visible(r)).not.toMatch(ULID_PATTERN);
  });

  it('names the points holders of a shared voucher, and masks an unknown one', async () => {
    await callOk(core, 'points.setRules', { adminToken: token, redeemer: 5, holder: 3, levels: [{ level: 1, points: 0, perk: '' }] });
    const sharer = await add('Sam Sharer', '13700003333');
    const r = await redeem((await issuer.mint('item', { sub: 'C-777777', ref: [sharer.id, 'H-99999999'], shr: 's' })).text);
    expect(r.points?.length).toBeGreaterThan(0);
    expect(r.people?.holders?.[sharer.id]).toBe('Sam Sharer');
    expect(r.people?.holders?.['H-99999999']).toBe('H-…99');
    expect(Object.values(r.people?.holders ?? {}).join(' ')).not.toMatch(ULID_PATTERN);
  });
});

describe('phone lookup', () => {
  it('finds every member sharing a number, sorted by name, and finds by the last four digits', async () => {
    const b = await add('Bea', '13911118888');
    const a = await add('Abe', '+86 139-1111-8888');
    const other = await add('Cy', '13522228888');
    const both = await callOk<MemberRow[]>(core, 'crm.lookupPhone', { phone: '13911118888' });
    expect(both.map((r) => r.id)).toEqual([a.id, b.id]);
    const last4 = await callOk<MemberRow[]>(core, 'crm.lookupPhone', { phone: '8888' });
    expect(last4.map((r) => r.id)).toEqual([a.id, b.id, other.id]);
    expect(await callOk<MemberRow[]>(core, 'crm.lookupPhone', { phone: '1234' })).toEqual([]);
    expect((await callErr(core, 'crm.lookupPhone', { phone: '88' })).code).toBe('crm.badPhone');
  });

  it('merging needs the admin passphrase, like erasure', async () => {
    const [a, b] = await callOk<MemberRow[]>(core, 'crm.lookupPhone', { phone: '13911118888' });
    expect((await callErr(core, 'crm.merge', { adminToken: 'nope', keepId: a!.id, mergeId: b!.id })).code).toMatch(/^admin\./);
    await callOk(core, 'crm.merge', { adminToken: token, keepId: a!.id, mergeId: b!.id });
    expect((await callOk<MemberRow[]>(core, 'crm.lookupPhone', { phone: '13911118888' })).map((r) => r.id)).toEqual([a!.id]);
  });
});
