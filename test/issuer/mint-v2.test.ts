/**
 * The GBV2 minter (server/issuer/mint-v2.ts) against the workstation that will
 * read its vouchers: every kind the GBV1 minter makes, minted as GBV2 for each
 * pair of issuer and merchant key types, opens VALID with its claims unchanged
 * and redeems on a real workstation; tampered vouchers get the verdict
 * docs/spec/voucher-format-v2.md §5 gives them; and a typical voucher is a QR
 * code of version 12 or lower in alphanumeric mode.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import QRCode from 'qrcode';
import type { RedeemResult } from '../../preload/contract';
import { decodeBase45, encodeBase45 } from '../../main/core/vouchers/gbv2/base45';
import { decodeStrict } from '../../main/core/vouchers/gbv2/cbor';
import { minterFor } from '../../server/issuer/format';
import { generateIssuerKey, type EncKeyType, type SigningAlg } from '../../server/issuer/keys';
import { CLAIM_KINDS, claimsFor, qrSegments, qrVersion, writeQrPng, type ClaimKind, type Claims } from '../../server/issuer/mint';
import { claimsToCbor, createMinterV2, encodeCbor, GBV2_PREFIX } from '../../server/issuer/mint-v2';
import { makeTestIssuer, type TestIssuer } from '../support/issuer';
import { callOk, newWorkstation } from '../support/workstation';
import { ZBARIMG, useIssuerFixtures, zbar } from './support';

const SUITES: { signingAlg: SigningAlg; enc: EncKeyType }[] = [
  { signingAlg: 'EdDSA', enc: 'X25519' },
  { signingAlg: 'ES256', enc: 'P-256' },
  { signingAlg: 'EdDSA', enc: 'P-256' },
  { signingAlg: 'ES256', enc: 'X25519' },
];

/** What the counter sends to redeem all of a voucher of each kind (claimsFor's defaults) in one go. */
const REDEEM_INPUT: Record<ClaimKind, Record<string, unknown>> = {
  item: { units: 1 },
  value: { amount: 10_000 },
  gift: {},
  'multi-use': { units: 10 },
  pin: { pin: '1234' },
  campaign: {},
  shared: {},
};

async function workstationFor(issuer: TestIssuer) {
  const ws = await newWorkstation({ keysFile: null });
  await callOk(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'bundle.json', content: issuer.bundleJson });
  await callOk(ws.core, 'campaigns.set', { adminToken: ws.token, id: 'CMP-DEMO', name: 'Demo', stock: 10, from: null, to: null, hours: null });
  return ws;
}

for (const suite of SUITES) {
  describe(`GBV2 ${suite.signingAlg} → ${suite.enc}`, () => {
    let issuer: TestIssuer;
    let ws: Awaited<ReturnType<typeof newWorkstation>>;
    beforeAll(async () => {
      issuer = await makeTestIssuer({ format: 'gbv2', ...suite });
      ws = await workstationFor(issuer);
    });
    afterAll(() => ws.cleanup());

    for (const kind of CLAIM_KINDS) {
      it(`${kind}: opens VALID with the claims it was minted with, and redeems`, async () => {
        const claims = claimsFor(kind, { iss: issuer.platform.iss, mid: issuer.merchant.id, sku: 'SKU-88', sub: 'C-1024', extra: { note: 'kept' } });
        const text = await createMinterV2(issuer.platform, issuer.merchant.encryption.publicJwk).mint(claims);
        expect(text.startsWith(GBV2_PREFIX)).toBe(true);
        const pin = kind === 'pin' ? '1234' : undefined;
        const verified = await ws.core.invoke('voucher.verify', { text, pin }, { claims: true });
        expect(verified.verdict).toBe('VALID');
        expect(verified.claims).toEqual(claims);
        const redeemed = await callOk<RedeemResult>(ws.core, 'voucher.redeem', { text, ...REDEEM_INPUT[kind] });
        expect(redeemed.verdict).toBe('VALID');
        expect((await callOk<RedeemResult>(ws.core, 'voucher.verify', { text, pin })).verdict).toBe('ALREADY_REDEEMED');
      });
    }
  });
}

describe('tampered and wrong GBV2 vouchers get the verdict the spec gives them', () => {
  let issuer: TestIssuer;
  let ws: Awaited<ReturnType<typeof newWorkstation>>;
  beforeAll(async () => {
    issuer = await makeTestIssuer({ format: 'gbv2' });
    ws = await workstationFor(issuer);
  });
  afterAll(() => ws.cleanup());

  const verdict = async (text: string) => (await ws.core.invoke('voucher.verify', { text })).verdict;
  const claims = (o: Partial<Claims> = {}) => claimsFor('item', { iss: issuer.platform.iss, mid: issuer.merchant.id, ...o });
  /** The envelope `[kid, enc, ct]` of a voucher, changed and put back together. */
  const reseal = (text: string, change: (envelope: [string, Uint8Array, Uint8Array]) => unknown[]) =>
    GBV2_PREFIX + encodeBase45(encodeCbor(change(decodeStrict(decodeBase45(text.slice(GBV2_PREFIX.length))!) as [string, Uint8Array, Uint8Array])));

  it('the untouched voucher is VALID, with a scanner’s whitespace around it', async () => {
    const { text } = await issuer.mint('item');
    expect(await verdict(`  ${text}\r\n`)).toBe('VALID');
  });

  it('text damage: lower case, a character outside Base45, a cut → MALFORMED', async () => {
    const { text } = await issuer.mint('item');
    expect(await verdict(text.toLowerCase())).toBe('MALFORMED');
    expect(await verdict(text.slice(0, 40) + '#' + text.slice(41))).toBe('MALFORMED');
    expect(await verdict(text.slice(0, -4))).toBe('MALFORMED');
    expect(await verdict(text.replace(GBV2_PREFIX, 'GBV1:'))).toBe('MALFORMED');
  });

  it('a flipped ciphertext bit → DECRYPT_FAILED; another merchant kid → UNKNOWN_MERCHANT_KEY', async () => {
    const { text } = await issuer.mint('item');
    expect(await verdict(reseal(text, ([kid, enc, ct]) => [kid, enc, Uint8Array.from(ct, (b, i) => (i === 10 ? b ^ 1 : b))]))).toBe('DECRYPT_FAILED');
    expect(await verdict(reseal(text, ([kid, enc, ct]) => [kid, Uint8Array.from(enc, (b, i) => (i === 0 ? b ^ 1 : b)), ct]))).toBe('DECRYPT_FAILED');
    expect(await verdict(reseal(text, ([, enc, ct]) => ['m-other-enc', enc, ct]))).toBe('UNKNOWN_MERCHANT_KEY');
  });

  it('signed by another key under the same kid → BAD_SIGNATURE; by an unknown kid → UNKNOWN_ISSUER', async () => {
    const impostor = { iss: issuer.platform.iss, name: 'x', signing: await generateIssuerKey({ alg: 'EdDSA', kid: issuer.platform.signing.kid }) };
    expect(await verdict(await createMinterV2(impostor, issuer.merchant.encryption.publicJwk).mint(claims()))).toBe('BAD_SIGNATURE');
    const stranger = { ...impostor, signing: await generateIssuerKey({ alg: 'EdDSA', kid: 'gb-unknown' }) };
    expect(await verdict(await createMinterV2(stranger, issuer.merchant.encryption.publicJwk).mint(claims()))).toBe('UNKNOWN_ISSUER');
  });

  it('an iss naming another issuer → BAD_SIGNATURE; claims of the wrong type or missing → MALFORMED', async () => {
    const minter = createMinterV2(issuer.platform, issuer.merchant.encryption.publicJwk);
    expect(await verdict(await minter.mint(claims({ iss: 'gb.other' })))).toBe('BAD_SIGNATURE');
    expect(await verdict(await minter.mint(claims({ knd: 'bogus' })))).toBe('MALFORMED');
    expect(await verdict(await minter.mint(claims({ extra: { qty: '3' } })))).toBe('MALFORMED');
    expect(await verdict(await minter.mint(claims({ jti: null })))).toBe('MALFORMED');
    expect(await verdict(await minter.mint({}, { rawPayload: encodeCbor(['not', 'a', 'map']) }))).toBe('MALFORMED');
  });
});

describe('the GBV2 encoding', () => {
  it('writes the claims under their integer keys, deterministically (RFC 8949 §4.2.1)', () => {
    const a = encodeCbor(claimsToCbor({ qty: 24, knd: 'value', mid: 'c', jti: 'b', iss: 'a' }));
    const b = encodeCbor(claimsToCbor({ iss: 'a', jti: 'b', mid: 'c', knd: 'value', qty: 24 }));
    expect(Buffer.from(a).toString('hex')).toBe('a5' + '016161' + '036163' + '076162' + '0901' + '0a1818');
    expect(b).toEqual(a);
    const pin = claimsFor('pin', { iss: 'a', mid: 'c', jti: 'J', pin: '1234' }).pin;
    const map = claimsToCbor({ pin, shr: 's', note: 'x' });
    expect(map.get(14)).toEqual(Buffer.from(String(pin), 'base64url'));
    expect([map.get(17), map.get('note')]).toEqual([1, 'x']);
  });

  it('refuses keys GBV2 has no suite for, saying to mint GBV1', async () => {
    const { platforms, merchants } = fixtures;
    expect(() => createMinterV2(platforms.RS256, merchants.X25519.encryption.publicJwk)).toThrow(/GBV1/);
    expect(() => createMinterV2(platforms.EdDSA, merchants.RSA.encryption.publicJwk)).toThrow(/GBV1/);
    expect(minterFor('gbv1', platforms.RS256, merchants.RSA.encryption.publicJwk).format).toBe('gbv1');
  });
});

const fixtures = useIssuerFixtures();

describe('QR codes of GBV2 vouchers', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await makeTestIssuer({ format: 'gbv2' });
  });

  for (const kind of CLAIM_KINDS) {
    it(`a typical ${kind} voucher: at most 380 characters, alphanumeric mode, version 12 or lower at level M`, async () => {
      const { text } = await issuer.mint(kind, { iss: 'gb.example', mid: 'M1001', sku: 'SKU-88', sub: 'C-1024' });
      expect(text.length).toBeLessThanOrEqual(380);
      expect(qrSegments(text)).toEqual([{ mode: 'alphanumeric', data: text }]);
      const symbol = QRCode.create(qrSegments(text), { errorCorrectionLevel: 'M' });
      expect(symbol.version).toBeLessThanOrEqual(12);
      expect(symbol.segments.map((s) => s.mode.id)).toEqual(['Alphanumeric']);
      expect(qrVersion(text)).toBe(symbol.version);
    });
  }

  it('GBV1 and other text stay in byte mode', async () => {
    const gbv1 = await (await makeTestIssuer()).mint('item');
    expect(qrSegments(gbv1.text)[0]!.mode).toBe('byte');
    expect(qrVersion(gbv1.text)).toBeGreaterThan(12);
    expect(qrSegments('hello 你好')[0]!.mode).toBe('byte');
  });

  it('the PNG decodes back to the voucher text', async (ctx) => {
    const { text } = await issuer.mint('pin');
    const file = join(fixtures.tmp, 'gbv2.png');
    await writeQrPng(text, file, { scale: 3 });
    if (!existsSync(ZBARIMG)) {
      console.warn(`skipping the QR decode check: ${ZBARIMG} is not installed (apt-get install zbar-tools)`);
      ctx.skip();
    }
    expect(zbar(file)).toBe(text);
  });
});
