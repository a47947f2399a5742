/**
 * A sealed merchant bundle may ask for at most twice the issuer's PBES2
 * iterations: a hostile bundle asking for millions is refused at once, before
 * any key derivation (it used to hold the workstation 1–2 s per attempt).
 */
import { CompactEncrypt, decodeProtectedHeader } from 'jose';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../preload/contract';
import { MAX_BUNDLE_P2C } from '../../main/core/keystore/files';
import { DEFAULT_P2C, MAX_P2C, sealBundle } from '../../server/issuer/bundle';
import { callErr, callOk, newWorkstation, VECTOR_KEYS_FILE } from '../support/workstation';

const bundleText = readFileSync(VECTOR_KEYS_FILE, 'utf8');

const seal = (json: string, passphrase: string, p2c: number) =>
  new CompactEncrypt(new TextEncoder().encode(json))
    .setProtectedHeader({ alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', cty: 'gb-merchant-bundle+json' })
    .setKeyManagementParameters({ p2c })
    .encrypt(new TextEncoder().encode(passphrase));

/** The same JWE with its protected header rewritten (the tag no longer matches: only the iteration count is looked at first). */
function withHeader(jwe: string, patch: Record<string, unknown>): string {
  const parts = jwe.split('.');
  const header = { ...decodeProtectedHeader(jwe), ...patch };
  parts[0] = Buffer.from(JSON.stringify(header)).toString('base64url');
  return parts.join('.');
}

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
async function empty() {
  const ws = await newWorkstation({ keysFile: null });
  cleanups.push(ws.cleanup);
  return ws;
}

describe('sealed bundle: PBES2 iteration cap', () => {
  it('is twice the issuer default, and the issuer never seals above it', async () => {
    expect(MAX_BUNDLE_P2C).toBe(2 * DEFAULT_P2C);
    expect(MAX_P2C).toBe(MAX_BUNDLE_P2C);
    await expect(sealBundle('{"v":1}', 'p', { p2c: MAX_P2C + 1 })).rejects.toThrow(/iteration count/);
  });

  it('opens a bundle sealed at the cap', async () => {
    const ws = await empty();
    const sealed = await seal(bundleText, 'pw', MAX_BUNDLE_P2C);
    const r = await callOk<ImportResult>(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'b.jwe', content: sealed, bundlePassphrase: 'pw' });
    expect(r.merchant?.id).toBe('M-pub-1001');
  }, 30_000);

  it('refuses one iteration more, with the right passphrase, as a damaged file', async () => {
    const ws = await empty();
    const sealed = await seal(bundleText, 'pw', MAX_BUNDLE_P2C + 1);
    const e = await callErr(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'b.jwe', content: sealed, bundlePassphrase: 'pw' });
    expect(e.code).toBe('keys.corruptFile');
    expect(e.message).toMatch(/PBES2 iteration count/);
  }, 30_000);

  it('refuses a hostile count (5,000,000, a fraction, zero, text) at once, without deriving a key', async () => {
    const ws = await empty();
    const sealed = await seal(bundleText, 'pw', 1000);
    for (const p2c of [5_000_000, 1000.5, 0, '1000', null]) {
      const started = performance.now();
      const e = await callErr(ws.core, 'keystore.import', { adminToken: ws.token, fileName: 'b.jwe', content: withHeader(sealed, { p2c }), bundlePassphrase: 'pw' });
      const ms = performance.now() - started;
      expect(e.code, String(p2c)).toBe('keys.corruptFile');
      expect(ms, `${String(p2c)}: ${ms.toFixed(0)} ms`).toBeLessThan(400);
    }
  }, 30_000);
});
