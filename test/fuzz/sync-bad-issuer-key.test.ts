/**
 * Found by the fuzz benchmark (bench/fuzz, parser "sync: page of changes"): an
 * `issuer-key` change whose key has the right shape (kty, crv, x) but numbers
 * that make no key is stored by applyChanges, which then throws from
 * keystore.reloadPublic: the page's transaction is already committed (cursor
 * moved), the in-memory issuer keys are left half loaded, and the next start
 * of the workstation throws in the KeyStore constructor.
 *
 * Fixed in main/core/keystore/synced.ts: an announced key is made into a key
 * object before it is stored, and ignored like any other unreadable key.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/services';
import { newWorkstation, openWorkstation, VECTOR_KEYS_FILE } from '../support/workstation';

describe('a page of changes with an issuer key whose numbers make no key', () => {
  let ws: Awaited<ReturnType<typeof newWorkstation>>;
  let core: Core;
  const edKey = (JSON.parse(readFileSync(VECTOR_KEYS_FILE, 'utf8')) as { issuers: { iss: string; keys: Record<string, unknown>[] }[] }).issuers[0]!;
  // A valid Ed25519 x has 32 bytes; one byte fewer is well-formed base64url, but no key.
  const badX = Buffer.alloc(31, 7).toString('base64url');
  const page = [{ type: 'issuer-key', iss: edKey.iss, key: { kty: 'OKP', crv: 'Ed25519', x: badX, kid: 'fuzz-bad-x' }, status: 'active' }];

  beforeAll(async () => {
    ws = await newWorkstation();
    core = ws.core;
  });
  afterAll(() => {
    ws.cleanup();
  });

  it('is ignored: applying the page does not throw, the other issuer keys still verify', async () => {
    await expect(core.sync.applyChanges(page, 'c-1')).resolves.toBeUndefined();
    expect(core.keystore.issuerKey('pub-i-rsa')).not.toBeNull();
  });

  it('leaves a workstation that starts again', async () => {
    core.close();
    core = await openWorkstation(ws.dir);
    ws.core = core;
    expect(core.keystore.state()).not.toBe('empty');
  });
});
