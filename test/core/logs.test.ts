import { CompactEncrypt } from 'jose';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCoreChild } from '../../main/host/core-child';
import { makeTestIssuer } from '../support/issuer';
import { ADMIN_PASSPHRASE, tempDir } from '../support/workstation';

// A whole session through a real core process, with everything it writes
// kept: nothing secret and no voucher text may appear in it.
describe('logs', () => {
  it('never contain key material, passphrases, tokens or voucher text', async () => {
    const issuer = await makeTestIssuer();
    const bundle = JSON.parse(issuer.bundleJson);
    bundle.server = { url: 'https://gb.test/api', deviceId: 'B01-POS9', token: 'tok_' + 'S3cr3tT0kenValue'.repeat(2) };
    const bundlePassphrase = 'bundle passphrase from the platform';
    const sealed = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(bundle)))
      .setProtectedHeader({ alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', cty: 'gb-merchant-bundle+json', p2c: 1000 })
      .encrypt(new TextEncoder().encode(bundlePassphrase));
    const vouchers = [
      await issuer.mint('item', { qty: 2 }),
      await issuer.mint('pin', { pin: '987654' }),
      await issuer.mint('value', { val: 5000 }),
      await issuer.mint('item', { exp: 1 }),
    ];
    const t = tempDir('vd-logs-');
    const core = await startCoreChild({ dataDir: t.dir, capture: true });
    const call = async (name: string, input: unknown) => core.connection.call(name, input);
    try {
      const setup = await call('admin.setup', { passphrase: ADMIN_PASSPHRASE });
      const token = (setup as { value: { token: string } }).value.token;
      await call('admin.login', { passphrase: 'a wrong admin passphrase' });
      await call('keystore.import', { adminToken: token, fileName: 'b.jwe', content: sealed, bundlePassphrase: 'wrong bundle passphrase' });
      const imported = await call('keystore.import', { adminToken: token, fileName: 'b.jwe', content: sealed, bundlePassphrase });
      expect(imported.ok).toBe(true);
      for (const v of vouchers) {
        await call('voucher.verify', { text: v.text });
        await call('voucher.redeem', { text: v.text, pin: '000000', amount: 100 });
        await call('voucher.redeem', { text: v.text, pin: '987654', amount: 100 });
      }
      await call('voucher.redeem', { text: vouchers[0]!.text.slice(0, 300) + 'garbage' });
      await call('voucher.redeem', { text: 'not json at all {"secret": "' + vouchers[1]!.text + '"}' });
      await call('keystore.import', { adminToken: token, fileName: 'x.json', content: '{"kty":"OKP","crv":"X25519","d":"' + bundle.encryptionKeys[0].d + '"' });
      const history = (await call('ledger.history', { limit: 10 })) as { value: { id: string; type: string }[] };
      await call('ledger.reverse', { adminToken: token, eventId: history.value.find((h) => h.type === 'redemption')!.id, reason: 'test' });
    } finally {
      await core.stop();
    }
    const written = readFileSync(join(t.dir, 'logs', 'core.log'), 'utf8') + '\n' + core.output();
    t.cleanup();

    expect(written).toContain('"msg":"redeemed"'); // the log is really there
    const secrets: string[] = [ADMIN_PASSPHRASE, 'a wrong admin passphrase', bundlePassphrase, 'wrong bundle passphrase', bundle.server.token];
    for (const k of [...bundle.encryptionKeys, ...bundle.signingKeys]) secrets.push(k.d);
    secrets.push(issuer.platform.signing.privateJwk.d!);
    for (const v of vouchers) {
      secrets.push(v.text);
      // Any 24-character piece of a voucher's encrypted parts.
      for (const part of v.text.replace('GBV1:', '').split('.')) {
        for (let i = 0; i + 24 <= part.length; i += 24) secrets.push(part.slice(i, i + 24));
      }
    }
    for (const s of secrets) expect(written.includes(s), `log contains a secret (${s.slice(0, 6)}…)`).toBe(false);
  });
});
