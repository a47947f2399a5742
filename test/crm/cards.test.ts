/**
 * The shop's own tokens: a member card issued now is a compact GBV2 text (short
 * enough for a QR code of version 12 or lower in alphanumeric mode at level M),
 * a GBV1 card printed before still selects its member, and a bundle with an
 * RSA key (which GBV2 has no algorithm for) still issues GBV1 cards and vouchers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberView, RedeemResult } from '../../preload/contract';
import type { Core } from '../../main/core/services';
import { merchantAsPlatform } from '../../server/issuer/keys';
import { createMinter, qrVersion } from '../../server/issuer/mint';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { callErr, callOk, newWorkstation } from '../support/workstation';

async function workstationFor(issuer: TestIssuer): Promise<{ core: Core; cleanup: () => void; alice: MemberView }> {
  const { core, cleanup } = await newWorkstation({ keysFile: null, content: issuer.bundleJson });
  const alice = (await callOk<{ member: MemberView }>(core, 'crm.memberAdd', { name: 'Alice', phone: '13800000001' })).member;
  return { core, cleanup, alice };
}

const cardText = async (core: Core, memberId: string) => (await callOk<{ text: string }>(core, 'crm.cardToken', { memberId })).text;
const selected = async (core: Core, text: string) => (await callOk<{ member: { id: string } }>(core, 'crm.counterScan', { text })).member.id;

describe('member cards with Ed25519 and X25519 keys', () => {
  let issuer: TestIssuer;
  let core: Core;
  let cleanup: () => void;
  let alice: MemberView;
  beforeAll(async () => {
    issuer = await makeTestIssuer();
    ({ core, cleanup, alice } = await workstationFor(issuer));
  });
  afterAll(() => cleanup?.());

  it('a card issued now is GBV2, at most 380 characters, a QR of version 12 or lower at level M, and selects its member', async () => {
    const text = await cardText(core, alice.id);
    expect(text.startsWith('GBV2:')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(380);
    expect(text).toMatch(/^[0-9A-Z $%*+\-./:]+$/); // QR alphanumeric mode (the renderer prints it so: test/renderer/crm-card.test.ts)
    expect(qrVersion(text)).toBeLessThanOrEqual(12);
    expect(await selected(core, text)).toBe(alice.id);
  });

  it('at the counter, the voucher path refuses a GBV2 card (the screen then hands it to the CRM) and records nothing', async () => {
    const text = await cardText(core, alice.id);
    const before = core.db.prepare('SELECT count(*) AS n FROM events').get();
    const r = await callOk<RedeemResult>(core, 'voucher.redeem', { text, unlessAsking: true });
    // What renderer/src/crm/card.ts isMemberCardRefusal looks for.
    expect(r).toMatchObject({ verdict: 'EXPIRED', voucher: { iss: `merchant:${issuer.merchant.id}`, jti: `card-${alice.id}`, exp: 1 } });
    expect(r.event).toBeUndefined();
    expect(core.db.prepare('SELECT count(*) AS n FROM events').get()).toEqual(before);
  });

  it('an old GBV1 card, printed before cards were GBV2, still selects its member', async () => {
    const minter = createMinter(merchantAsPlatform(issuer.merchant), issuer.merchant.encryption.publicJwk);
    const mid = issuer.merchant.id;
    const claims = { iss: `merchant:${mid}`, jti: `card-${alice.id}`, mid, sub: alice.id, knd: 'item', qty: 1, iat: 1_700_000_000, exp: 1, vdm: 'card' };
    const text = await minter.mint(claims, { outerHeader: { vdm: 'card' } });
    expect(text.startsWith('GBV1:')).toBe(true);
    expect(await selected(core, text)).toBe(alice.id);
  });

  it('a GBV2 voucher that is no card selects nobody', async () => {
    const v2 = await makeTestIssuer({ format: 'gbv2' });
    const plain = await v2.mint('item');
    expect((await callErr(core, 'crm.counterScan', { text: plain.text })).code).toBe('crm.notAMemberCard');
  });
});

describe('member cards and vouchers with an RSA encryption key', () => {
  let core: Core;
  let cleanup: () => void;
  let alice: MemberView;
  beforeAll(async () => {
    ({ core, cleanup, alice } = await workstationFor(await makeTestIssuer({ enc: 'RSA' })));
  });
  afterAll(() => cleanup?.());

  it('fall back to GBV1 (GBV2 has no RSA algorithm): the card carries its header hint and selects its member', async () => {
    const text = await cardText(core, alice.id);
    expect(text.startsWith('GBV1:')).toBe(true);
    // The GBV1 card keeps the outer header hint the counter reads without a round trip.
    const header = JSON.parse(Buffer.from(text.slice(5).split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(header.vdm).toBe('card');
    expect(await selected(core, text)).toBe(alice.id);
  });
});
