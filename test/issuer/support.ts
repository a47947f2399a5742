/**
 * What the issuer tests share: a platform per signing algorithm and a merchant
 * per key type (made once per file: RSA key generation is the slow part), a
 * scratch folder, and opening a voucher with nothing but jose.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { compactDecrypt, compactVerify, importJWK } from 'jose';
import { generateIssuerKey, generateMerchantKeys, type ContentEnc, type EncKeyType, type KeyManagementAlg, type Merchant, type Platform, type SigningAlg } from '../../server/issuer/keys';
import type { Claims } from '../../server/issuer/mint';

export const SIGNING_ALGS: SigningAlg[] = ['EdDSA', 'ES256', 'RS256', 'PS256'];
export const OUTER: { key: EncKeyType; alg: KeyManagementAlg; enc: ContentEnc }[] = [
  { key: 'X25519', alg: 'ECDH-ES', enc: 'A256GCM' },
  { key: 'X25519', alg: 'ECDH-ES+A256KW', enc: 'A256GCM' },
  { key: 'P-256', alg: 'ECDH-ES', enc: 'A256GCM' },
  { key: 'P-256', alg: 'ECDH-ES+A256KW', enc: 'A256GCM' },
  { key: 'RSA', alg: 'RSA-OAEP-256', enc: 'A256GCM' },
  { key: 'X25519', alg: 'ECDH-ES', enc: 'A128GCM' },
];
export const ZBARIMG = '/usr/bin/zbarimg';
export const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** Keys for every algorithm, made before the file's tests, and a scratch folder removed after them. */
export function useIssuerFixtures(): { platforms: Record<SigningAlg, Platform>; merchants: Record<EncKeyType, Merchant>; tmp: string } {
  const platforms = {} as Record<SigningAlg, Platform>;
  const merchants = {} as Record<EncKeyType, Merchant>;
  const tmp = mkdtempSync(join(tmpdir(), 'issuer-test-'));

  beforeAll(async () => {
    // RSA key generation is the slow part: once per file, in parallel.
    await Promise.all([
      ...SIGNING_ALGS.map(async (alg) => {
        platforms[alg] = {
          iss: `gb-${alg.toLowerCase()}.example`,
          name: `Platform ${alg}`,
          signing: await generateIssuerKey({ alg, kid: `gb-${alg.toLowerCase()}-2026a` }),
        };
      }),
      ...(['X25519', 'P-256', 'RSA'] as const).map(async (enc) => {
        const keys = await generateMerchantKeys({ enc, kid: `m1001-${enc.toLowerCase()}`, sigKid: 'm1001-sig' });
        merchants[enc] = { id: 'M1001', name: 'Lotus Tea House', ...keys };
      }),
    ]);
  });

  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  return { platforms, merchants, tmp };
}

/** Open a voucher the way any JOSE implementation would: decrypt, then verify. */
export async function openVoucher(text: string, merchant: Merchant, platform: Platform) {
  const jwe = text.startsWith('GBV1:') ? text.slice('GBV1:'.length) : text;
  const encKey = await importJWK(
    merchant.encryption.privateJwk,
    merchant.encryption.type === 'RSA' ? 'RSA-OAEP-256' : 'ECDH-ES',
  );
  const { plaintext, protectedHeader: outer } = await compactDecrypt(jwe, encKey, {
    keyManagementAlgorithms: ['ECDH-ES', 'ECDH-ES+A256KW', 'RSA-OAEP-256'],
    contentEncryptionAlgorithms: ['A256GCM', 'A128GCM'],
  });
  const sigKey = await importJWK(platform.signing.publicJwk, platform.signing.alg);
  const { payload, protectedHeader: inner } = await compactVerify(new TextDecoder().decode(plaintext), sigKey, {
    algorithms: [platform.signing.alg],
  });
  return { outer, inner, claims: JSON.parse(new TextDecoder().decode(payload)) as Claims };
}

/** The text of the QR code in a PNG, as zbarimg reads it (-Sbinary: the exact bytes, no charset guessing). */
export function zbar(file: string): string {
  return execFileSync(ZBARIMG, ['--raw', '-q', '-Sbinary', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}
