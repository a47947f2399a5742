/**
 * Issuer keys over sync (issue 11, defect 4): a server speaks only for the
 * issuers its bundle names. A key it announces for the merchant's own issuer
 * or for another platform is refused (logged by issuer and kid) and vouchers
 * signed with it stay untrusted; it cannot retire another issuer's key; the
 * cursor moves all the same.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeystoreView } from '../../preload/contract';
import { createCore, type Core } from '../../main/core/services';
import { createLogger } from '../../main/core/log';
import { openBundle } from '../../server/issuer/bundle';
import { claimsFor, mintVoucher } from '../../server/issuer/mint';
import { ADMIN_PASSPHRASE, callOk, tempDir } from '../support/workstation';
import { makePlatform, type Platform } from './support';

async function issuerKey(kid: string): Promise<{ priv: JWK; pub: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { priv: { ...(await exportJWK(privateKey)), kid }, pub: { ...(await exportJWK(publicKey)), kid } };
}

describe('issuer keys over sync', () => {
  const tmp = tempDir('vd-sync-keys-');
  let p: Platform;
  let core: Core;
  let dir: string;
  let platformIss: string;
  let merchantEnc: JWK;

  const forge = (iss: string, key: { priv: JWK }) =>
    mintVoucher({
      platform: { signing: { alg: 'EdDSA', kid: key.priv.kid!, privateJwk: key.priv } },
      merchantEncKey: merchantEnc,
      claims: claimsFor('item', { iss, mid: 'M1001' }),
    });
  const keys = async () => (await callOk<KeystoreView>(core, 'keystore.view', {})).keys.map((k) => k.kid);

  beforeAll(async () => {
    p = await makePlatform(tmp.dir, { vouchers: 1 });
    dir = join(tmp.dir, 'a');
    core = await createCore({ dataDir: dir, protector: { mode: 'passphrase' }, logger: createLogger(dir) });
    await core.keystore.setupAdmin(ADMIN_PASSPHRASE);
    await callOk(core, 'keystore.import', { adminToken: core.admin.issue().token, fileName: 'a.jwe', content: p.bundles.B01, bundlePassphrase: 'bundle passphrase 1' });
    platformIss = (await core.redeemer.verify(p.vouchers[0]!, {})).voucher!.iss;
    merchantEnc = (await openBundle(p.bundles.B01!, 'bundle passphrase 1')).encryptionKeys[0]!;
  }, 60_000);

  afterAll(() => {
    core?.close();
    tmp.cleanup();
  });

  it("refuses keys for the merchant's own issuer and for another platform, and retiring another issuer's key", async () => {
    // Another platform the merchant works with, its key imported by hand.
    const other = await issuerKey('other-2026a');
    await callOk(core, 'keystore.import', { adminToken: core.admin.issue().token, fileName: 'other.jwk', content: JSON.stringify(other.pub), iss: 'other.example' });
    const otherVoucher = await forge('other.example', other);
    expect((await core.redeemer.verify(otherVoucher, {})).verdict).toBe('VALID');

    const forgedMine = await issuerKey('forged-merchant');
    const forgedOther = await issuerKey('forged-other');
    const forgedNew = await issuerKey('forged-new');
    const page = [
      { type: 'issuer-key', iss: 'merchant:M1001', key: forgedMine.pub },
      { type: 'issuer-key', iss: 'other.example', key: forgedOther.pub },
      { type: 'issuer-key', iss: 'third.example', key: forgedNew.pub },
      { type: 'issuer-key', iss: 'other.example', key: other.pub, status: 'retired' },
      { type: 'issuer-key', iss: platformIss, key: other.pub, status: 'retired' },
    ];
    await core.sync.applyChanges(page, 'c-000009');
    expect(core.settings.get('sync.cursor')).toBe('c-000009');

    const kids = await keys();
    expect(kids).toContain('other-2026a');
    for (const k of ['forged-merchant', 'forged-other', 'forged-new']) expect(kids).not.toContain(k);
    expect((await core.redeemer.verify(otherVoucher, {})).verdict).toBe('VALID');
    expect(['UNKNOWN_ISSUER', 'BAD_SIGNATURE']).toContain((await core.redeemer.verify(await forge('merchant:M1001', forgedMine), {})).verdict);
    expect(['UNKNOWN_ISSUER', 'BAD_SIGNATURE']).toContain((await core.redeemer.verify(await forge('other.example', forgedOther), {})).verdict);
    expect(['UNKNOWN_ISSUER', 'BAD_SIGNATURE']).toContain((await core.redeemer.verify(await forge('third.example', forgedNew), {})).verdict);

    // Refusals are logged by issuer and kid, never the key itself.
    const log = readFileSync(join(dir, 'logs', 'core.log'), 'utf8');
    expect(log).toMatch(/issuer key refused.*forged-merchant/);
    expect(log).not.toContain(forgedMine.pub.x!);

    // The server's own issuer still rotates over sync.
    const rotated = await issuerKey('gb-rotated');
    await core.sync.applyChanges([{ type: 'issuer-key', iss: platformIss, key: rotated.pub, status: 'active' }], 'c-000010');
    expect(await keys()).toContain('gb-rotated');
    expect((await core.redeemer.verify(await forge(platformIss, rotated), {})).verdict).toBe('VALID');
  });
});
