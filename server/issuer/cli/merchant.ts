/** `issuer merchant create`: a merchant's keys, its sealed bundle and PEM/JWK exports. */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { exportSPKI, importJWK, type JWK } from 'jose';
import { buildBundleJson, DEFAULT_P2C, MAX_P2C, sealBundle } from '../bundle';
import { ENC_KEY_TYPES, fingerprint, generateMerchantKeys, importAlgForEncKey, merchantIssuerId, pemOf, publicJwkOf, type EncKeyType, type Merchant } from '../keys';
import { args, num, oneOf, required, slug, UsageError, year } from './args';
import { loadPlatform, refuseOverwrite, short, writeJson, writeText } from './files';
import { help } from './usage';

async function writeKeyExports(
  keysDir: string,
  role: string,
  privateJwk: JWK | undefined,
  publicJwk: JWK,
  alg: string,
): Promise<string[]> {
  const files: string[] = [];
  if (privateJwk) {
    const { privatePem, publicPem } = await pemOf(privateJwk, alg);
    files.push(join(keysDir, `${role}.private.pem`), join(keysDir, `${role}.private.jwk.json`));
    await writeText(files[0]!, privatePem, 0o600);
    await writeJson(files[1]!, privateJwk, 0o600);
    await writeText(join(keysDir, `${role}.public.pem`), publicPem, 0o644);
  } else {
    // Public only (an issuer's key): SPKI from the public JWK.
    const key = await importJWK(publicJwkOf(publicJwk), alg);
    if (key instanceof Uint8Array) throw new Error('not an asymmetric key');
    await writeText(join(keysDir, `${role}.public.pem`), await exportSPKI(key), 0o644);
  }
  await writeJson(join(keysDir, `${role}.public.jwk.json`), publicJwkOf(publicJwk), 0o644);
  files.push(join(keysDir, `${role}.public.pem`), join(keysDir, `${role}.public.jwk.json`));
  return files;
}

function randomPassphrase(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(20);
  let s = '';
  for (let i = 0; i < 20; i++) {
    if (i > 0 && i % 5 === 0) s += '-';
    s += alphabet[bytes[i]! % alphabet.length];
  }
  return s;
}

export async function merchantCreate(argv: string[]): Promise<number> {
  const { values: v } = args(argv, {
    platform: { type: 'string', multiple: true },
    dir: { type: 'string' },
    id: { type: 'string' },
    name: { type: 'string' },
    branch: { type: 'string' },
    'branch-name': { type: 'string' },
    enc: { type: 'string' },
    kid: { type: 'string' },
    signing: { type: 'boolean' },
    'sig-kid': { type: 'string' },
    passphrase: { type: 'string' },
    p2c: { type: 'string' },
    'server-url': { type: 'string' },
    'device-id': { type: 'string' },
    token: { type: 'string' },
    force: { type: 'boolean' },
  });
  if (v.help) return help();
  const platformDirs = v.platform ?? [];
  if (platformDirs.length === 0) throw new UsageError('--platform is required');
  const dir = resolve(required(v.dir, 'dir'));
  const id = required(v.id, 'id');
  if (id.length > 64) throw new UsageError('--id must be at most 64 characters');
  const name = required(v.name, 'name');
  if (v['branch-name'] !== undefined && v.branch === undefined) throw new UsageError('--branch-name needs --branch');
  const enc: EncKeyType = oneOf(v.enc, ENC_KEY_TYPES, 'enc') ?? 'X25519';
  const kid = v.kid ?? `${slug(id)}-${year()}a`;
  const sigKid = v['sig-kid'] ?? (v.signing ? `${slug(id)}-sig-${year()}a` : undefined);
  const p2c = num(v.p2c, 'p2c') ?? DEFAULT_P2C;
  if (!Number.isInteger(p2c) || p2c < 1 || p2c > MAX_P2C) throw new UsageError(`--p2c must be a whole number from 1 to ${MAX_P2C} (workstations refuse more)`);
  if ((v['device-id'] !== undefined || v.token !== undefined) && v['server-url'] === undefined) {
    throw new UsageError('--device-id and --token need --server-url');
  }
  let passphrase = v.passphrase ?? process.env.ISSUER_BUNDLE_PASSPHRASE;
  if (passphrase === '') throw new UsageError('the bundle passphrase is empty');

  const platforms = await Promise.all(platformDirs.map((p) => loadPlatform(p)));

  await mkdir(dir, { recursive: true });
  const files = {
    merchant: join(dir, 'merchant.json'),
    bundle: join(dir, 'bundle.jwe'),
    bundleClear: join(dir, 'bundle.json'),
    passphrase: join(dir, 'bundle.passphrase'),
    keys: join(dir, 'keys'),
  };
  refuseOverwrite(files.merchant, v.force);

  const generatedPassphrase = passphrase === undefined;
  if (passphrase === undefined) passphrase = randomPassphrase();

  const keys = await generateMerchantKeys({ enc, kid, ...(sigKid ? { sigKid } : {}) });
  const branchId = v.branch;
  const merchant: Merchant = {
    id,
    name,
    ...(branchId ? { branch: { id: branchId, name: v['branch-name'] ?? branchId } } : {}),
    encryption: keys.encryption,
    ...(keys.signing ? { signing: keys.signing } : {}),
    ...(v['server-url']
      ? {
          server: {
            url: v['server-url'],
            deviceId: v['device-id'] ?? `${branchId ?? id}-POS1`,
            token: v.token ?? randomBytes(24).toString('base64url'),
          },
        }
      : {}),
  };
  const bundle = buildBundleJson(merchant, platforms);
  const sealed = await sealBundle(bundle, passphrase, { p2c });

  await writeJson(files.merchant, merchant, 0o600);
  await writeText(files.bundle, sealed + '\n', 0o600);
  await writeJson(files.bundleClear, bundle, 0o600);
  if (generatedPassphrase) await writeText(files.passphrase, passphrase + '\n', 0o600);

  await mkdir(files.keys, { recursive: true });
  const keyFiles: string[] = [];
  keyFiles.push(
    ...(await writeKeyExports(files.keys, 'encryption', keys.encryption.privateJwk, keys.encryption.publicJwk, importAlgForEncKey(enc))),
  );
  if (keys.signing) {
    keyFiles.push(...(await writeKeyExports(files.keys, 'signing', keys.signing.privateJwk, keys.signing.publicJwk, 'EdDSA')));
  }
  for (const p of platforms) {
    keyFiles.push(
      ...(await writeKeyExports(files.keys, `issuer-${slug(p.iss)}-${slug(p.signing.kid)}`, undefined, p.signing.publicJwk, p.signing.alg)),
    );
  }

  const encFp = await fingerprint(keys.encryption.publicJwk);
  const sigFp = keys.signing ? await fingerprint(keys.signing.publicJwk) : null;
  const issuers = await Promise.all(
    platforms.map(async (p) => ({ iss: p.iss, kid: p.signing.kid, alg: p.signing.alg, fingerprint: await fingerprint(p.signing.publicJwk) })),
  );
  process.stderr.write(
    `merchant ${id} (${name})${merchant.branch ? `, branch ${merchant.branch.id} (${merchant.branch.name})` : ''}\n` +
      `  encryption key ${kid} (${enc}), fingerprint ${short(encFp)}\n` +
      (keys.signing ? `  signing key ${keys.signing.kid} (Ed25519, issuer ${merchantIssuerId(id)}), fingerprint ${short(sigFp!)}\n` : '') +
      issuers.map((i) => `  trusts issuer ${i.iss}: ${i.alg} key ${i.kid}, fingerprint ${short(i.fingerprint)}\n`).join('') +
      `  ${files.bundle} (sealed, PBES2 p2c ${p2c})\n` +
      (generatedPassphrase
        ? `  passphrase: none given, a random one is in ${files.passphrase}\n`
        : `  passphrase: the one given (${v.passphrase !== undefined ? '--passphrase' : 'ISSUER_BUNDLE_PASSPHRASE'})\n`) +
      `  ${files.bundleClear} (clear, development only)\n  ${files.merchant} (private)\n  ${files.keys}/ (PEM and JWK exports)\n`,
  );
  process.stdout.write(
    JSON.stringify({
      merchant: { id, name },
      ...(merchant.branch ? { branch: merchant.branch } : {}),
      encryption: { kid, type: enc, fingerprint: encFp },
      ...(keys.signing ? { signing: { kid: keys.signing.kid, iss: merchantIssuerId(id), fingerprint: sigFp } } : {}),
      issuers,
      files: {
        merchant: files.merchant,
        bundle: files.bundle,
        bundleClear: files.bundleClear,
        ...(generatedPassphrase ? { passphrase: files.passphrase } : {}),
        keys: keyFiles,
      },
    }) + '\n',
  );
  return 0;
}
