import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuedVoucher, MemberDetail, MemberView, ReferralRules, RedeemResult, ToGiveEntry } from '../../preload/contract';
import type { Core } from '../../main/core/services';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { callErr, callOk, newWorkstation } from '../support/workstation';

// The whole referral loop through the core, on a real database file.
let core: Core;
let token: string;
let cleanup: () => void;
let issuer: TestIssuer;
const DAY = 86_400;
const t0 = Math.floor(Date.now() / 1000) + 3600;

const RULES: ReferralRules = {
  enabled: true,
  spend: null,
  visits: 2,
  welcomeCount: 2,
  welcome: { kind: 'item', qty: 1, sku: 'TEA', validDays: 30, label: 'Welcome tea' },
  rewardAfter: 2,
  reward: { kind: 'value', val: 2000, cur: 'CNY', validDays: 60, label: 'Thank you' },
};

beforeAll(async () => {
  issuer = await makeTestIssuer();
  ({ core, token, cleanup } = await newWorkstation({ keysFile: null, content: issuer.bundleJson }));
  await callOk(core, 'crm.rulesSet', { adminToken: token, rules: RULES });
});
afterAll(() => cleanup?.());

async function redeem(text: string, now: number, amount?: number): Promise<RedeemResult> {
  const r = await callOk<RedeemResult>(core, 'voucher.redeem', { text, now, ...(amount ? { amount } : {}) });
  await core.crm.idle();
  return r;
}
const add = async (name: string, phone: string, extra: Record<string, unknown> = {}) =>
  (await callOk<{ member: MemberView }>(core, 'crm.memberAdd', { name, phone, ...extra })).member;
const friend = async (from: string, name: string, phone: string) =>
  (await callOk<{ person: { id: string } }>(core, 'crm.linkAdd', { from, kind: 'friend', newPerson: { name, phone } })).person.id;
const detail = (id: string) => callOk<MemberDetail>(core, 'crm.memberGet', { id });
const ledgerTotals = () =>
  core.db.prepare("SELECT count(*) AS n, coalesce(sum(amount), 0) AS amount, coalesce(sum(units), 0) AS units FROM events WHERE type = 'redemption'").get();

describe('referral loop', () => {
  let alice: MemberView;
  let bob: string;
  let carol: string;
  let issued: IssuedVoucher[];

  it('a member with two friends reaches the threshold and gets k welcome vouchers for her circle', async () => {
    alice = await add('Alice 王', '+86 138-0000-0001', { email: 'alice@example.com', tags: ['vip'] });
    bob = await friend(alice.id, 'Bob', '13800000002');
    carol = await friend(alice.id, 'Carol 李', '13800000003');
    await friend(alice.id, 'Dave', '13800000004');

    // Not yet eligible: the owner cannot issue.
    expect((await callErr(core, 'crm.referralIssue', { memberId: alice.id })).code).toBe('crm.notEligible');

    // Two visits on two days, each attached by selecting her at the counter (as a card scan does).
    for (const day of [1, 2]) {
      const card = await callOk<{ text: string }>(core, 'crm.cardToken', { memberId: alice.id });
      const sel = await callOk<{ member: { id: string } }>(core, 'crm.counterScan', { text: card.text });
      expect(sel.member.id).toBe(alice.id);
      const v = await issuer.mint('value', { val: 5000, cur: 'CNY' });
      await core.call('voucher.redeem', { text: v.text, amount: 3000 }, { now: t0 + day * DAY });
      await core.crm.idle();
    }
    const d = await detail(alice.id);
    expect(d.member.visits).toBe(2);
    expect(d.member.spend).toBe(6000);
    expect(d.history).toHaveLength(2);
    expect(d.referral.eligible).toBe(true);
    // Reaching the threshold issued the welcome vouchers to the first k people of her circle.
    expect(d.referral.issued).toBe(2);
    issued = d.referral.vouchers.filter((v) => v.purpose === 'welcome') as IssuedVoucher[];
    expect(issued.map((v) => v.personId).sort()).toEqual([bob, carol].sort());
    const toGive = await callOk<ToGiveEntry[]>(core, 'crm.toGive', {});
    expect(toGive.filter((g) => g.purpose === 'welcome')).toHaveLength(2);
  });

  it('refuses self-referral (same phone) and a second welcome voucher for the same person', async () => {
    // A contact with Alice's own phone, added on purpose despite the duplicate warning.
    const dup = await callOk<{ person: null; duplicates: { id: string }[] }>(core, 'crm.linkAdd', {
      from: alice.id,
      kind: 'family',
      newPerson: { name: 'Alice again', phone: '13800000001' },
    });
    expect(dup.person).toBeNull();
    expect(dup.duplicates.map((x) => x.id)).toEqual([alice.id]);
    const again = await callOk<{ person: { id: string } }>(core, 'crm.linkAdd', {
      from: alice.id,
      kind: 'family',
      newPerson: { name: 'Alice again', phone: '13800000001' },
      allowDuplicate: true,
    });
    expect((await callErr(core, 'crm.referralIssue', { memberId: alice.id, personIds: [again.person.id] })).code).toBe('crm.selfReferral');
    expect((await callErr(core, 'crm.referralIssue', { memberId: alice.id, personIds: [alice.id] })).code).toBe('crm.selfReferral');

    // Another eligible member tries to give Bob (and Bob's twin record) a second welcome voucher.
    const erin = await add('Erin', '13800000009');
    await callOk(core, 'crm.memberUpdate', { id: erin.id });
    for (const day of [3, 4]) {
      await callOk(core, 'crm.counterSelect', { memberId: erin.id });
      await redeem((await issuer.mint('item')).text, t0 + day * DAY);
    }
    expect((await callErr(core, 'crm.referralIssue', { memberId: erin.id, personIds: [bob] })).code).toBe('crm.alreadyWelcomed');
    const twin = await callOk<{ person: { id: string } }>(core, 'crm.linkAdd', {
      from: erin.id,
      kind: 'friend',
      newPerson: { name: 'Bobby', phone: '138 0000 0002' },
      allowDuplicate: true,
    });
    expect((await callErr(core, 'crm.referralIssue', { memberId: erin.id, personIds: [twin.person.id] })).code).toBe('crm.alreadyWelcomed');
    expect(core.db.prepare("SELECT count(*) AS n FROM crm_vouchers WHERE person IN (?, ?)").get(bob, twin.person.id)).toEqual({ n: 1 });
  });

  it('k friends redeem at the counter: they become members referred by Alice, and her reward is in the to-give list', async () => {
    const texts = await Promise.all(issued.map(async (v) => ({ v, text: (await callOk<{ text: string }>(core, 'crm.voucherText', { jti: v.jti })).text })));
    // The shop's own vouchers are compact GBV2 texts (the bundle's keys are Ed25519 and X25519).
    expect(texts.map((t) => t.text.slice(0, 5))).toEqual(texts.map(() => 'GBV2:'));
    // The workstation verifies its own vouchers with the merchant's signing key.
    const check = await callOk<RedeemResult>(core, 'voucher.verify', { text: texts[0]!.text, now: t0 + 5 * DAY });
    expect(check.verdict).toBe('VALID');
    expect(check.voucher?.iss).toBe('merchant:M-TEST');
    expect(check.voucher?.ref).toEqual([alice.id]);

    for (const [i, { text }] of texts.entries()) {
      const r = await redeem(text, t0 + (5 + i) * DAY);
      expect(r.verdict).toBe('VALID');
    }
    for (const id of [bob, carol]) {
      const d = await detail(id);
      expect(d.member.memberSince).not.toBeNull();
      expect(d.member.visits).toBe(1);
      expect(d.circle.some((c) => c.kind === 'referred_by' && c.direction === 'out' && c.other.id === alice.id)).toBe(true);
    }
    // Redeeming the same welcome voucher twice is refused by the ledger as usual.
    expect((await redeem(texts[0]!.text, t0 + 7 * DAY)).verdict).toBe('ALREADY_REDEEMED');

    const st = (await detail(alice.id)).referral;
    expect(st.counted).toBe(2);
    expect(st.rewards).toBe(1);
    const reward = (await callOk<ToGiveEntry[]>(core, 'crm.toGive', {})).find((g) => g.purpose === 'reward');
    expect(reward).toMatchObject({ personId: alice.id, memberName: 'Alice 王', terms: 'Thank you' });
    const types = (core.db.prepare('SELECT type FROM crm_events').all() as { type: string }[]).map((e) => e.type);
    expect(types.filter((t) => t === 'welcome.issued')).toHaveLength(2);
    expect(types.filter((t) => t === 'welcome.redeemed')).toHaveLength(2);
    expect(types.filter((t) => t === 'reward.issued')).toHaveLength(1);

    // The reward is a voucher too: redeemed at the counter, it goes on Alice's history.
    const rtext = (await callOk<{ text: string }>(core, 'crm.voucherText', { jti: reward!.jti })).text;
    expect(rtext.startsWith('GBV2:')).toBe(true);
    const rr = await redeem(rtext, t0 + 8 * DAY, 2000);
    expect(rr.verdict).toBe('VALID');
    expect(rr.voucher?.val).toBe(2000);
    expect((await detail(alice.id)).history).toHaveLength(3);

    // The network: Alice → Bob, Alice → Carol, one generation down.
    const g = await callOk<{ nodes: { id: string; gen: number }[]; edges: { source: string; target: string; kind: string }[] }>(core, 'crm.graph', {});
    expect(g.edges.filter((e) => e.kind === 'referred' && e.source === alice.id).map((e) => e.target).sort()).toEqual([bob, carol].sort());
    expect(g.nodes.find((n) => n.id === bob)?.gen).toBe(1);
    const rep = await callOk<{ totals: { issued: number; redeemed: number; rewards: number } }>(core, 'crm.report', {});
    expect(rep.totals).toMatchObject({ issued: 2, redeemed: 2, rewards: 1 });
  });

  it('a member card is no voucher: the voucher path refuses it and records nothing', async () => {
    const card = await callOk<{ text: string }>(core, 'crm.cardToken', { memberId: alice.id });
    const before = ledgerTotals();
    const r = await callOk<RedeemResult>(core, 'voucher.redeem', { text: card.text });
    expect(r.verdict).toBe('EXPIRED');
    expect(ledgerTotals()).toEqual(before);
    const plain = await issuer.mint('item');
    expect((await callErr(core, 'crm.counterScan', { text: plain.text })).code).toBe('crm.notAMemberCard');
  });

  it('deleting a member on request erases personal fields and keeps the ledger totals', async () => {
    const before = ledgerTotals();
    const spendBefore = (core.db.prepare('SELECT sum(spend) AS s, sum(visits) AS v FROM crm_people').get() as { s: number; v: number });
    expect((await callErr(core, 'crm.erase', { adminToken: 'nope', id: bob })).code).toMatch(/^admin\./);
    await callOk(core, 'crm.erase', { adminToken: token, id: bob });
    const row = core.db.prepare('SELECT * FROM crm_people WHERE id = ?').get(bob) as Record<string, unknown>;
    expect(row).toMatchObject({ name: '', phone: null, phone_norm: null, email: null, notes: '', tags: '[]', handles: '{}' });
    expect(row.erased_at).not.toBeNull();
    expect(core.db.prepare('SELECT count(*) AS n FROM crm_links WHERE a = ? OR b = ?').get(bob, bob)).toEqual({ n: 0 });
    expect(ledgerTotals()).toEqual(before);
    expect(core.db.prepare('SELECT sum(spend) AS s, sum(visits) AS v FROM crm_people').get()).toEqual(spendBefore);
    expect((await callErr(core, 'crm.memberGet', { id: bob })).code).toBe('crm.unknownMember');
    const found = await callOk<{ rows: { id: string }[] }>(core, 'crm.search', { q: '13800000002' });
    expect(found.rows.map((r) => r.id)).not.toContain(bob);
    // Nothing personal in the CRM's own log.
    const log = JSON.stringify(core.db.prepare('SELECT * FROM crm_events').all());
    expect(log).not.toContain('13800000002');
    expect(log).not.toContain('Bob');
  });

  it('finds members by partial phone, Chinese characters and name prefix; merges duplicates keeping both histories', async () => {
    const s = async (q: string) => (await callOk<{ rows: { name: string }[] }>(core, 'crm.search', { q, membersOnly: false })).rows.map((r) => r.name);
    expect(await s('0000001')).toContain('Alice 王');
    expect(await s('王')).toContain('Alice 王');
    expect(await s('李')).toContain('Carol 李');
    expect(await s('ali')).toContain('Alice 王');
    expect(await s('Er')).toContain('Erin');
    expect((await callOk<{ id: string }[]>(core, 'crm.lookupPhone', { phone: '138 0000 0003' })).map((r) => r.id)).toEqual([carol]);

    const erin = (await callOk<{ id: string }[]>(core, 'crm.lookupPhone', { phone: '13800000009' }))[0]!;
    const twin = await add('Erin Z', '13800000019');
    await callOk(core, 'crm.counterSelect', { memberId: twin.id });
    await redeem((await issuer.mint('item')).text, t0 + 9 * DAY);
    const merged = await callOk<MemberView>(core, 'crm.merge', { adminToken: token, keepId: erin.id, mergeId: twin.id });
    expect(merged.visits).toBe(3);
    const d = await detail(twin.id); // the merged id leads to the kept member
    expect(d.member.id).toBe(erin.id);
    expect(d.history).toHaveLength(3);
    expect(d.mergedFrom).toEqual([twin.id]);
  });
});

describe('sharing', () => {
  it('a shared voucher redeemed by a member links them to the members it passed through ("shared a voucher with"), and points go to the holders', async () => {
    const gina = (await callOk<{ member: MemberView }>(core, 'crm.memberAdd', { name: 'Gina', phone: '13800000031' })).member;
    const hank = (await callOk<{ member: MemberView }>(core, 'crm.memberAdd', { name: 'Hank', phone: '13800000032', holders: ['gb-user-hank'] })).member;
    const v = await issuer.mint('shared', { sub: gina.id, ref: ['gb-user-hank'], shr: 's' });
    const r = await callOk<RedeemResult>(core, 'voucher.redeem', { text: v.text, now: t0 + 10 * DAY });
    await core.crm.idle();
    expect(r.verdict).toBe('VALID');
    const g = await callOk<MemberDetail>(core, 'crm.memberGet', { id: gina.id });
    expect(g.member.visits).toBe(1); // attached through her holder id (the voucher's sub)
    expect(g.circle.map((c) => [c.kind, c.other.id])).toEqual([['shared', hank.id]]);
    expect(g.member.points).toBeGreaterThan(0);
    expect((await callOk<MemberDetail>(core, 'crm.memberGet', { id: hank.id })).member.points).toBeGreaterThan(0);
  });
});

describe('undoing a referral redemption', () => {
  it('a welcome voucher whose redemption the owner undoes is open again and no longer counts', async () => {
    const ivy = (await callOk<{ member: MemberView }>(core, 'crm.memberAdd', { name: 'Ivy', phone: '13800000041' })).member;
    const jo = (await callOk<{ person: { id: string } }>(core, 'crm.linkAdd', { from: ivy.id, kind: 'friend', newPerson: { name: 'Jo', phone: '13800000042' } })).person.id;
    for (const day of [11, 12]) {
      await callOk(core, 'crm.counterSelect', { memberId: ivy.id });
      await redeem((await issuer.mint('item')).text, t0 + day * DAY);
    }
    const st = await callOk<{ vouchers: { jti: string; personId: string }[] }>(core, 'crm.referralStatus', { memberId: ivy.id });
    const w = st.vouchers.find((v) => v.personId === jo)!;
    const text = (await callOk<{ text: string }>(core, 'crm.voucherText', { jti: w.jti })).text;
    const r = await redeem(text, t0 + 13 * DAY);
    expect((await callOk<{ counted: number }>(core, 'crm.referralStatus', { memberId: ivy.id })).counted).toBe(1);
    await callOk(core, 'ledger.reverse', { adminToken: token, eventId: r.event!.id, reason: 'wrong voucher' });
    await core.crm.idle();
    const after = await callOk<{ counted: number; redeemed: number }>(core, 'crm.referralStatus', { memberId: ivy.id });
    expect(after).toMatchObject({ counted: 0, redeemed: 0 });
    expect((await callOk<MemberDetail>(core, 'crm.memberGet', { id: jo })).member.visits).toBe(0);
    expect((await redeem(text, t0 + 14 * DAY)).verdict).toBe('VALID');
    expect((await callOk<{ counted: number }>(core, 'crm.referralStatus', { memberId: ivy.id })).counted).toBe(1);
  });
});

describe('CRM sync setting', () => {
  it('is off by default: the member id stays local; turned on, it travels with the waiting event', async () => {
    const kim = (await callOk<{ member: MemberView }>(core, 'crm.memberAdd', { name: 'Kim', phone: '13800000051' })).member;
    const body = (id: string) => JSON.parse((core.db.prepare('SELECT body FROM sync_outbox WHERE id = ?').get(id) as { body: string }).body) as { member: string | null };
    expect(await callOk(core, 'crm.settingsGet', {})).toEqual({ syncEnabled: false });
    await callOk(core, 'crm.counterSelect', { memberId: kim.id });
    const a = await redeem((await issuer.mint('item')).text, t0 + 15 * DAY);
    expect(body(a.event!.id).member).toBeNull();
    expect(core.db.prepare('SELECT member FROM events WHERE id = ?').get(a.event!.id)).toEqual({ member: kim.id });

    expect((await callErr(core, 'crm.settingsSet', { adminToken: 'nope', syncEnabled: true })).code).toMatch(/^admin\./);
    await callOk(core, 'crm.settingsSet', { adminToken: token, syncEnabled: true });
    await callOk(core, 'crm.counterSelect', { memberId: kim.id });
    const b = await redeem((await issuer.mint('item')).text, t0 + 16 * DAY);
    expect(body(b.event!.id).member).toBe(kim.id);
  });
});
