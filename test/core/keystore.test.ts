import { calculateJwkThumbprint, CompactEncrypt, type JWK } from 'jose';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportResult, KeystoreView } from '../../preload/contract';
import { createCore } from '../../main/core/services';
import { silentLogger } from '../../main/core/log';
import {
  ADMIN_PASSPHRASE,
  callErr,
  callOk,
  newWorkstation,
  openWorkstation,
  VECTOR_KEYS_FILE,
  VECTORS,
} from '../support/workstation';

const bundleText = readFileSync(VECTOR_KEYS_FILE, 'utf8');
const bundle = JSON.parse(bundleText) as {
  merchant: { id: string };
  encryptionKeys: JWK[];
  issuers: { iss: string; keys: JWK[] }[];
};
const validVector = VECTORS.vectors.find((v) => v.name.startsWith('x25519-ed25519'))!;

async function seal(json: string, passphrase: string): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(json))
    .setProtectedHeader({ alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', cty: 'gb-merchant-bundle+json', p2c: 1000 })
    .encrypt(new TextEncoder().encode(passphrase));
}

const pem = (k: KeyObject, type: 'pkcs8' | 'spki') => k.export({ format: 'pem', type } as never) as string;

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
async function empty() {
  const ws = await newWorkstation({ keysFile: null });
  cleanups.push(ws.cleanup);
  return ws;
}
async function viewOf(ws: { core: import('../../main/core/services').Core }) {
  return callOk<KeystoreView>(ws.core, 'keystore.view', {});
}

describe('key store: importing', () => {
  it('imports a sealed bundle with its passphrase and shows merchant, issuers, kids, types and RFC 7638 fingerprints', async () => {
    const ws = await empty();
    const sealed = await seal(bundleText, 'platform-secret');
    const r = await callOk<ImportResult>(ws.core, 'keystore.import', {
      adminToken: ws.token,
      fileName: 'M-pub-1001.bundle',
      content: sealed,
      bundlePassphrase: 'platform-secret',
    });
    expect(r.warnings).toEqual([]);
    expect(r.merchant).toEqual({ id: 'M-pub-1001', name: 'Vector Test Shop' });
    const v = await viewOf(ws);
    expect(v.state).toBe('unlocked');
    expect(v.issuers.map((i) => i.iss)).toEqual(['gb-pub-a', 'gb-pub-b']);
    const all = [...bundle.encryptionKeys, ...bundle.issuers.flatMap((i) => i.keys)];
    expect(v.keys).toHaveLength(all.length);
    for (const jwk of all) {
      const row = v.keys.find((k) => k.kid === jwk.kid)!;
      expect(row, jwk.kid).toBeDefined();
      expect(row.fingerprint).toBe((await calculateJwkThumbprint(jwk, 'sha256')).slice(0, 16));
      expect(row.kty).toBe(jwk.kty);
    }
    expect(v.keys.find((k) => k.kid === 'pub-m-rsa')!.bits).toBe(2048);
    const check = await callOk<{ verdict: string }>(ws.core, 'voucher.verify', { text: validVector.text, now: VECTORS.now });
    expect(check.verdict).toBe('VALID');
  });

  it('warns when the bundle is in the clear', async () => {
    const ws = await empty();
    const r = await callOk<ImportResult>(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'keys.json', content: bundleText });
    expect(r.warnings).toContain('clearBundle');
  });

  it('asks for the bundle passphrase, refuses a wrong one, and changes nothing', async () => {
    const ws = await empty();
    const sealed = await seal(bundleText, 'platform-secret');
    expect((await callErr(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'b', content: sealed })).code).toBe('keys.needBundlePassphrase');
    const e = await callErr(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'b', content: sealed, bundlePassphrase: 'guess' });
    expect(e.code).toBe('keys.wrongPassphrase');
    expect(e.message).not.toContain('guess');
    expect((await viewOf(ws)).keys).toEqual([]);
    expect((await viewOf(ws)).merchant).toBeNull();
  });

  it('refuses truncated and corrupt files with a clear code and changes nothing', async () => {
    const ws = await empty();
    const sealed = await seal(bundleText, 'pw');
    const cases: [string, string][] = [
      [bundleText.slice(0, bundleText.length / 2), 'keys.truncatedFile'],
      [sealed.split('.').slice(0, 3).join('.'), 'keys.truncatedFile'],
      ['{"v":1,"merchant":{"id":"M1"},"encryptionKeys":"nope"}', 'keys.corruptFile'],
      ['\u0000\u0001binary\u00ff', 'keys.notAKeyFile'],
      ['', 'keys.notAKeyFile'],
      ['-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VuBCIEIA', 'keys.truncatedFile'],
      ['-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----', 'keys.corruptFile'],
      [JSON.stringify({ ...bundle, encryptionKeys: [{ ...bundle.encryptionKeys[0], x: 'AAAA' }] }), 'keys.corruptFile'],
    ];
    for (const [content, code] of cases) {
      const e = await callErr(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'f', content, bundlePassphrase: 'pw' });
      expect(e.code, content.slice(0, 40)).toBe(code);
    }
    // A sealed bundle with its ciphertext altered: refused, nothing stored.
    const parts = sealed.split('.');
    parts[3] = parts[3]!.slice(0, -4) + (parts[3]!.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const e = await callErr(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'f', content: parts.join('.'), bundlePassphrase: 'pw' });
    expect(['keys.wrongPassphrase', 'keys.corruptFile']).toContain(e.code);
    expect((await viewOf(ws)).keys).toEqual([]);
  });

  it('refuses a bundle for another merchant unless the admin asks to replace it', async () => {
    const ws = await empty();
    await callOk(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'a', content: bundleText });
    const other = JSON.stringify({ ...bundle, merchant: { id: 'M-OTHER', name: 'Other Shop' } });
    const e = await callErr(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'b', content: other });
    expect(e.code).toBe('keys.otherMerchant');
    expect((await viewOf(ws)).merchant!.id).toBe('M-pub-1001');
    await callOk(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'b', content: other, replaceMerchant: true });
    expect((await viewOf(ws)).merchant!.id).toBe('M-OTHER');
    // The vector voucher is for M-pub-1001: now the wrong merchant.
    const r = await callOk<{ verdict: string }>(ws.core, 'voucher.verify', { text: validVector.text, now: VECTORS.now });
    expect(r.verdict).toBe('WRONG_MERCHANT');
  });

  it('importing the same bundle twice adds nothing; a different key under a known kid is refused', async () => {
    const ws = await empty();
    await callOk(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'a', content: bundleText });
    const again = await callOk<ImportResult>(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'a', content: bundleText });
    expect(again.added).toEqual([]);
    const { privateKey } = generateKeyPairSync('x25519');
    const jwk = { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: 'pub-m-x25519' };
    const e = await callErr(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'k.jwk', content: JSON.stringify(jwk) });
    expect(e.code).toBe('keys.duplicateKid');
  });

  it('refuses keys of unsupported types, naming the type, and changes nothing', async () => {
    const ws = await empty();
    await callOk(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'a', content: bundleText });
    const before = await viewOf(ws);
    const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    const k256 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey;
    const ed448 = generateKeyPairSync('ed448').publicKey;
    const cases: [string, Record<string, unknown>][] = [
      [JSON.stringify({ ...(rsa1024.export({ format: 'jwk' }) as object), kid: 'r1' }), { role: 'merchant-encryption' }],
      [JSON.stringify({ ...(p384.export({ format: 'jwk' }) as object), kid: 'p3' }), { role: 'merchant-encryption' }],
      [JSON.stringify({ kty: 'oct', k: 'c2VjcmV0', kid: 'o1' }), { role: 'issuer', iss: 'x' }],
      [pem(k256, 'pkcs8'), { role: 'merchant-encryption', kid: 'k1' }],
      [pem(ed448, 'spki'), { role: 'issuer', kid: 'e4', iss: 'x' }],
      [rsa1024.export({ format: 'pem', type: 'pkcs1' }) as string, { role: 'merchant-encryption', kid: 'r2' }],
      [JSON.stringify({ ...bundle, encryptionKeys: [{ ...(p384.export({ format: 'jwk' }) as object), kid: 'p3' }] }), {}],
    ];
    for (const [content, extra] of cases) {
      const e = await callErr(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'k', content, ...extra });
      expect(e.code, content.slice(0, 30)).toBe('keys.unsupportedKey');
    }
    // An Ed25519 key offered as a merchant encryption key does not fit that role.
    const ed = generateKeyPairSync('ed25519').privateKey;
    const e = await callErr(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'k', content: pem(ed, 'pkcs8'), role: 'merchant-encryption', kid: 'x' });
    expect(e.code).toBe('keys.unsupportedKey');
    expect(await viewOf(ws)).toEqual(before);
  });

  it('imports PEM (PKCS#8 private, SPKI public) and JWK files for merchant and issuer keys', async () => {
    const ws = await empty();
    await callOk(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'a', content: bundleText });
    const enc = generateKeyPairSync('x25519');
    const sig = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const iss = generateKeyPairSync('ed25519');
    const rsaIss = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await callOk(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'enc.pem', content: pem(enc.privateKey, 'pkcs8'), kid: 'm-enc-2' });
    await callOk(ws.core, 'keystore.import', {
      adminToken: ws.token,
      fileName: 'sig.pem',
      content: pem(sig.privateKey, 'pkcs8'),
      role: 'merchant-signing',
      kid: 'm-sig-1',
    });
    // Needs to know what a P-256 key is for.
    expect((await callErr(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 's.pem', content: pem(sig.privateKey, 'pkcs8'), kid: 'z' })).code).toBe(
      'keys.needRole',
    );
    // An issuer key needs its issuer id.
    expect((await callErr(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'i.pem', content: pem(iss.publicKey, 'spki'), kid: 'i1' })).code).toBe(
      'keys.needIssuer',
    );
    await callOk(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'i.pem', content: pem(iss.publicKey, 'spki'), kid: 'gb-c-1', iss: 'gb-c' });
    const rsaJwk = { ...(rsaIss.publicKey.export({ format: 'jwk' }) as JWK), kid: 'gb-c-rsa' };
    await callOk(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'i.jwk', content: JSON.stringify(rsaJwk), role: 'issuer', iss: 'gb-c' });
    const v = await viewOf(ws);
    const by = (kid: string) => v.keys.find((k) => k.kid === kid)!;
    expect(by('m-enc-2')).toMatchObject({ role: 'merchant-encryption', crv: 'X25519', source: 'pem:enc.pem' });
    expect(by('m-sig-1')).toMatchObject({ role: 'merchant-signing', crv: 'P-256' });
    expect(by('gb-c-1')).toMatchObject({ role: 'issuer', iss: 'gb-c', crv: 'Ed25519' });
    expect(by('gb-c-rsa')).toMatchObject({ role: 'issuer', iss: 'gb-c', kty: 'RSA', bits: 2048, source: 'jwk:i.jwk' });
    expect(by('gb-c-rsa').fingerprint).toBe((await calculateJwkThumbprint(rsaJwk, 'sha256')).slice(0, 16));
  });

  it('needs an admin login for import and remove', async () => {
    const ws = await empty();
    expect((await callErr(ws.core, 'keystore.import', { adminToken: 'nope', fileName: 'a', content: bundleText })).code).toBe('admin.required');
    await callOk(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'a', content: bundleText });
    expect((await callErr(ws.core, 'keystore.remove', { adminToken: 'nope', kid: 'pub-m-rsa' })).code).toBe('admin.required');
    expect((await callErr(ws.core, 'admin.login', { passphrase: 'wrong wrong' })).code).toBe('admin.wrongPassphrase');
    const { token } = await callOk<{ token: string }>(ws.core, 'admin.login', { passphrase: ADMIN_PASSPHRASE });
    const v = await callOk<KeystoreView>(ws.core, 'keystore.remove', { adminToken: token, kid: 'pub-m-rsa' });
    expect(v.keys.some((k) => k.kid === 'pub-m-rsa')).toBe(false);
  });
});

describe('key store: at rest', () => {
  it('never writes a private key in the clear, and opens locked after a restart', async () => {
    const ws = await empty();
    const sealed = await seal(bundleText, 'pw');
    await callOk(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'b', content: sealed, bundlePassphrase: 'pw' });
    ws.core.close();

    const secrets = bundle.encryptionKeys.flatMap((k) => [k.d!, Buffer.from(k.d!, 'base64url').toString('hex')]);
    for (const f of readdirSync(ws.dir, { recursive: true }) as string[]) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(ws.dir, f));
      } catch {
        continue; // a folder
      }
      for (const s of secrets) {
        expect(bytes.includes(Buffer.from(s)), `${f} holds a private key`).toBe(false);
      }
      for (const k of bundle.encryptionKeys) expect(bytes.includes(Buffer.from(k.d!, 'base64url')), `${f} holds raw key bytes`).toBe(false);
    }

    const core = await openWorkstation(ws.dir);
    try {
      expect((await callOk<KeystoreView>(core, 'keystore.view', {})).state).toBe('locked');
      const locked = await callOk<{ verdict: string }>(core, 'voucher.verify', { text: validVector.text, now: VECTORS.now });
      expect(locked.verdict).toBe('KEYSTORE_LOCKED');
      // An unknown kid is still unknown while locked (the public part says which kids exist).
      const unknown = VECTORS.vectors.find((v) => v.expect === 'UNKNOWN_MERCHANT_KEY')!;
      expect((await callOk<{ verdict: string }>(core, 'voucher.verify', { text: unknown.text, now: VECTORS.now })).verdict).toBe('UNKNOWN_MERCHANT_KEY');
      expect((await callErr(core, 'keystore.unlock', { passphrase: 'not it at all' })).code).toBe('admin.wrongPassphrase');
      expect((await callOk<KeystoreView>(core, 'keystore.view', {})).state).toBe('locked');
      await callOk(core, 'keystore.unlock', { passphrase: ADMIN_PASSPHRASE });
      expect((await callOk<{ verdict: string }>(core, 'voucher.verify', { text: validVector.text, now: VECTORS.now })).verdict).toBe('VALID');
      await callOk(core, 'keystore.lock', {});
      expect((await callOk<{ verdict: string }>(core, 'voucher.verify', { text: validVector.text, now: VECTORS.now })).verdict).toBe('KEYSTORE_LOCKED');
    } finally {
      core.close();
    }
  });

  it('keeps passphrase protection when the app, with an OS keychain, opens a folder set up without one', async () => {
    const ws = await empty();
    await callOk(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'a', content: bundleText });
    ws.core.close();
    // A keychain that would hand out anything: it must never be asked.
    const asked: string[] = [];
    const os = {
      protect: async (b: Buffer) => (asked.push('protect'), b),
      unprotect: async (b: Buffer) => (asked.push('unprotect'), b),
    };
    const core = await createCore({ dataDir: ws.dir, protector: { mode: 'os', os }, logger: silentLogger, passphrase: ADMIN_PASSPHRASE });
    try {
      const v = await callOk<KeystoreView>(core, 'keystore.view', {});
      expect(v.protector).toBe('passphrase');
      expect(v.state).toBe('locked');
      await callOk(core, 'keystore.unlock', { passphrase: ADMIN_PASSPHRASE });
      expect((await callOk<{ verdict: string }>(core, 'voucher.verify', { text: validVector.text, now: VECTORS.now })).verdict).toBe('VALID');
      expect(asked).toEqual([]);
    } finally {
      core.close();
    }
  });

  it('sets the admin passphrase once: a second setup is refused', async () => {
    const ws = await empty();
    expect((await callErr(ws.core, 'admin.setup', { passphrase: 'another passphrase' })).code).toBe('admin.alreadyConfigured');
    // Too short on a workstation not set up yet: test/core/admin-setup.test.ts.
  });
});
