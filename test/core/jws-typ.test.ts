/** The inner JWS `typ` (docs/spec/voucher-format.md §3): `gbv+jwt` when present; anything else is not a voucher. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedeemResult } from '../../preload/contract';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { callOk, newWorkstation } from '../support/workstation';

let issuer: TestIssuer;
let ws: Awaited<ReturnType<typeof newWorkstation>>;

beforeAll(async () => {
  issuer = await makeTestIssuer();
  ws = await newWorkstation({ keysFile: null });
  await callOk(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'bundle.json', content: issuer.bundleJson });
});
afterAll(() => ws.cleanup());

const verdictOf = async (mintOpts: Parameters<TestIssuer['mint']>[2]) =>
  (await callOk<RedeemResult>(ws.core, 'voucher.verify', { text: (await issuer.mint('item', { qty: 1 }, mintOpts)).text })).verdict;

describe('the inner JWS typ', () => {
  it('accepts gbv+jwt, its application/ form in any case, and no typ at all', async () => {
    expect(await verdictOf({})).toBe('VALID');
    expect(await verdictOf({ typ: false })).toBe('VALID');
    expect(await verdictOf({ innerHeader: { typ: 'application/GBV+JWT' } })).toBe('VALID');
  });

  it.each(['JWT', 'at+jwt', 'gbv', '', 42])('refuses typ %j as MALFORMED', async (typ) => {
    expect(await verdictOf({ innerHeader: { typ } })).toBe('MALFORMED');
  });
});
