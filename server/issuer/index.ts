/**
 * The issuer tool: `npm run issuer -- <command>`.
 *
 * Makes a platform's signing key, a merchant (its keys and a passphrase-sealed
 * bundle), and vouchers of every kind, as text and as QR PNGs. For demos and
 * tests; a real platform does the same with its own JOSE library.
 *
 * Human summaries go to stderr, machine output to stdout. Exit codes: 0 done,
 * 1 failure, 2 usage error. Private keys are only ever written to files.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { exportSPKI, importJWK, type JWK } from 'jose';
import { buildBundleJson, DEFAULT_P2C, sealBundle, type BundleJson } from './bundle';
import {
  CONTENT_ENCS,
  ENC_KEY_TYPES,
  fingerprint,
  generateIssuerKey,
  generateMerchantKeys,
  importAlgForEncKey,
  KEY_MANAGEMENT_ALGS,
  merchantIssuerId,
  parseMerchant,
  parsePlatform,
  publicJwkOf,
  SIGNING_ALGS,
  type ContentEnc,
  type EncKeyType,
  type KeyManagementAlg,
  type Merchant,
  type Platform,
  type SigningAlg,
  type SigningKey,
  pemOf,
} from './keys';
import {
  CLAIM_KINDS,
  claimsFor,
  createMinter,
  nowSeconds,
  parseTime,
  writeQrPng,
  type ClaimKind,
  type ClaimOptions,
  type Claims,
  type SignerInput,
} from './mint';

class UsageError extends Error {}

const USAGE = `Usage: npm run issuer -- <command> [options]

Commands:
  platform init --dir DIR [--iss gb.example] [--name "Example Group Buy"]
                [--alg EdDSA|ES256|RS256|PS256] [--kid K] [--force]
      Make a platform's signing key: DIR/platform.json (private, 0600) and
      DIR/platform.public.json.

  merchant create --platform DIR [--platform DIR2 ...] --dir DIR --id M1001 --name NAME
                [--branch B01 [--branch-name Nanshan]] [--enc X25519|P-256|RSA] [--kid K]
                [--signing | --sig-kid K] [--passphrase P] [--p2c N]
                [--server-url U [--device-id D] [--token T]] [--force]
      Make a merchant: DIR/merchant.json (private, 0600), DIR/bundle.jwe (sealed
      with the passphrase, or $ISSUER_BUNDLE_PASSPHRASE; without either a random
      one is written to DIR/bundle.passphrase), DIR/bundle.json (the bundle in the
      clear, development only) and PEM/JWK exports of every key in DIR/keys/.

  mint (--platform DIR | --as-merchant) --merchant DIR|bundle.json [--merchant-kid K]
                [--kind ${CLAIM_KINDS.join('|')}]
                [--qty N] [--val MINOR --cur CNY] [--use N] [--sku S] [--sub S]
                [--jti S] [--mid M] [--iss I] [--now T] [--iat T] [--nbf T] [--exp T]
                [--pin 1234] [--cmp ID] [--ref a,b,c] [--shr x|s] [--lvl N]
                [--claim name=JSON ...] [--omit name ...]
                [--alg ${KEY_MANAGEMENT_ALGS.join('|')}] [--enc ${CONTENT_ENCS.join('|')}]
                [--bare] [--no-typ] [--png FILE [--scale N]] [--count N]
      Print each voucher's text on its own line. Times T: seconds since the
      epoch, +7d / +2h / +30m relative to now (write negative ones as
      --exp=-1d), or an ISO date. --claim sets any claim to a JSON value (text
      that is not JSON is taken as a string); --omit drops a claim. With
      --count, --jti S gives S-1, S-2 … and --png FILE gives FILE-1.png …

  qr TEXT|- --png FILE [--scale N]
      Render any text (or stdin with -) as a QR code PNG.
`;

// ------------------------------------------------------------------ helpers

function args<T extends ParseArgsConfig['options']>(argv: string[], options: T, positionals = 0) {
  try {
    const parsed = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals: positionals > 0, strict: true });
    if (parsed.positionals.length > positionals) throw new UsageError(`unexpected argument: ${parsed.positionals[positionals]}`);
    return parsed;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError((e as Error).message);
  }
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}

function num(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) {
    throw new UsageError(`--${name} must be a number (got "${value}"); use --claim ${name}=JSON for other values`);
  }
  return n;
}

function time(value: string | undefined, name: string, now: number): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseTime(value, now);
  } catch (e) {
    throw new UsageError(`--${name}: ${(e as Error).message}`);
  }
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'key';
}

const year = () => new Date().getUTCFullYear();

async function writeJson(file: string, value: unknown, mode: number): Promise<void> {
  await writeFile(file, JSON.stringify(value, null, 2) + '\n', { mode });
  await chmod(file, mode); // writeFile's mode applies only to new files
}

async function writeText(file: string, text: string, mode: number): Promise<void> {
  await writeFile(file, text, { mode });
  await chmod(file, mode);
}

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the ${what} file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`the ${what} file ${file} is not JSON`);
  }
}

/** A directory holding NAME, or the file itself. */
function fileIn(path: string, name: string): string {
  return existsSync(path) && statSync(path).isDirectory() ? join(path, name) : path;
}

async function loadPlatform(path: string): Promise<Platform> {
  const file = fileIn(path, 'platform.json');
  try {
    return parsePlatform(await readJson(file, 'platform'));
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

/** What mint needs of a merchant, from merchant.json or a clear bundle.json. */
interface MintTarget {
  id: string;
  name: string;
  encryptionKeys: JWK[];
  signing?: SigningKey;
}

async function loadMintTarget(path: string): Promise<MintTarget> {
  const file = fileIn(path, 'merchant.json');
  const json = await readJson(file, 'merchant');
  const asBundle = json as Partial<BundleJson>;
  if (asBundle.v === 1 && Array.isArray(asBundle.encryptionKeys) && asBundle.merchant) {
    const sig = asBundle.signingKeys?.[0];
    return {
      id: asBundle.merchant.id,
      name: asBundle.merchant.name,
      encryptionKeys: asBundle.encryptionKeys,
      ...(sig && typeof sig.kid === 'string'
        ? { signing: { alg: 'EdDSA' as const, kid: sig.kid, privateJwk: sig, publicJwk: publicJwkOf(sig) } }
        : {}),
    };
  }
  let merchant: Merchant;
  try {
    merchant = parseMerchant(json);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  return {
    id: merchant.id,
    name: merchant.name,
    encryptionKeys: [merchant.encryption.publicJwk],
    ...(merchant.signing ? { signing: merchant.signing } : {}),
  };
}

function refuseOverwrite(file: string, force: boolean | undefined): void {
  if (!force && existsSync(file)) throw new Error(`${file} already exists (use --force to replace it)`);
}

const short = (fp: string) => fp.slice(0, 16);

// ------------------------------------------------------------------ platform init

async function platformInit(argv: string[]): Promise<number> {
  const { values: v } = args(argv, {
    dir: { type: 'string' },
    iss: { type: 'string' },
    name: { type: 'string' },
    alg: { type: 'string' },
    kid: { type: 'string' },
    force: { type: 'boolean' },
  });
  if (v.help) return help();
  const dir = resolve(required(v.dir, 'dir'));
  const iss = v.iss ?? 'gb.example';
  if (iss.length < 1 || iss.length > 64) throw new UsageError('--iss must be 1–64 characters');
  const name = v.name ?? 'Example Group Buy';
  const alg: SigningAlg = oneOf(v.alg, SIGNING_ALGS, 'alg') ?? 'EdDSA';
  const kid = v.kid ?? `${slug(iss.split('.')[0] ?? iss)}-${year()}a`;

  await mkdir(dir, { recursive: true });
  const privFile = join(dir, 'platform.json');
  const pubFile = join(dir, 'platform.public.json');
  refuseOverwrite(privFile, v.force);

  const signing = await generateIssuerKey({ alg, kid });
  const platform: Platform = { iss, name, signing };
  const pub = { iss, name, keys: [signing.publicJwk] };
  await writeJson(privFile, platform, 0o600);
  await writeJson(pubFile, pub, 0o644);

  const fp = await fingerprint(signing.publicJwk);
  process.stderr.write(
    `platform ${iss} (${name}): ${alg} key ${kid}, fingerprint ${short(fp)}\n` +
      `  ${privFile} (private, keep it safe)\n  ${pubFile}\n`,
  );
  process.stdout.write(
    JSON.stringify({ iss, name, alg, kid, fingerprint: fp, publicJwk: signing.publicJwk, files: { private: privFile, public: pubFile } }) + '\n',
  );
  return 0;
}

// ------------------------------------------------------------------ merchant create

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

async function merchantCreate(argv: string[]): Promise<number> {
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
  if (!Number.isInteger(p2c) || p2c < 1) throw new UsageError('--p2c must be a positive integer');
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

// ------------------------------------------------------------------ mint

function numberedFile(file: string, n: number): string {
  const ext = extname(file);
  return join(dirname(file), `${basename(file, ext)}-${n}${ext}`);
}

function parseClaimArg(arg: string): [string, unknown] {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new UsageError(`--claim wants name=JSON (got "${arg}")`);
  const name = arg.slice(0, eq);
  const raw = arg.slice(eq + 1);
  try {
    return [name, JSON.parse(raw)];
  } catch {
    return [name, raw];
  }
}

async function mint(argv: string[]): Promise<number> {
  const { values: v } = args(argv, {
    platform: { type: 'string' },
    'as-merchant': { type: 'boolean' },
    merchant: { type: 'string' },
    'merchant-kid': { type: 'string' },
    kind: { type: 'string' },
    qty: { type: 'string' },
    val: { type: 'string' },
    cur: { type: 'string' },
    use: { type: 'string' },
    sku: { type: 'string' },
    sub: { type: 'string' },
    jti: { type: 'string' },
    mid: { type: 'string' },
    iss: { type: 'string' },
    now: { type: 'string' },
    iat: { type: 'string' },
    nbf: { type: 'string' },
    exp: { type: 'string' },
    pin: { type: 'string' },
    cmp: { type: 'string' },
    ref: { type: 'string' },
    shr: { type: 'string' },
    lvl: { type: 'string' },
    claim: { type: 'string', multiple: true },
    omit: { type: 'string', multiple: true },
    alg: { type: 'string' },
    enc: { type: 'string' },
    bare: { type: 'boolean' },
    'no-typ': { type: 'boolean' },
    png: { type: 'string' },
    scale: { type: 'string' },
    count: { type: 'string' },
  });
  if (v.help) return help();
  if (!v.platform && !v['as-merchant']) throw new UsageError('--platform is required (or --as-merchant)');
  if (v.platform && v['as-merchant']) throw new UsageError('give either --platform or --as-merchant, not both');
  const merchantPath = required(v.merchant, 'merchant');
  const kind: ClaimKind = oneOf(v.kind, CLAIM_KINDS, 'kind') ?? 'item';
  const alg: KeyManagementAlg | undefined = oneOf(v.alg, KEY_MANAGEMENT_ALGS, 'alg');
  const enc: ContentEnc | undefined = oneOf(v.enc, CONTENT_ENCS, 'enc');
  const count = num(v.count, 'count') ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new UsageError('--count must be an integer from 1 to 100000');
  const scale = num(v.scale, 'scale');
  if (scale !== undefined && (!Number.isInteger(scale) || scale < 1 || scale > 50)) throw new UsageError('--scale must be an integer from 1 to 50');
  if (scale !== undefined && !v.png) throw new UsageError('--scale needs --png');
  const now = time(v.now, 'now', nowSeconds()) ?? nowSeconds();
  const extra: Claims = Object.fromEntries((v.claim ?? []).map(parseClaimArg));

  const claimOptions: Omit<ClaimOptions, 'iss' | 'mid'> = {
    now,
    qty: num(v.qty, 'qty'),
    val: num(v.val, 'val'),
    cur: v.cur,
    use: num(v.use, 'use'),
    sku: v.sku,
    sub: v.sub,
    iat: time(v.iat, 'iat', now),
    nbf: time(v.nbf, 'nbf', now),
    exp: time(v.exp, 'exp', now),
    pin: v.pin,
    cmp: v.cmp,
    ref: v.ref === undefined ? undefined : v.ref.split(',').map((s) => s.trim()).filter((s) => s !== ''),
    shr: v.shr as 'x' | 's' | undefined,
    lvl: num(v.lvl, 'lvl'),
    extra,
  };

  const target = await loadMintTarget(merchantPath);
  const encKey = v['merchant-kid']
    ? target.encryptionKeys.find((k) => k.kid === v['merchant-kid'])
    : target.encryptionKeys[0];
  if (!encKey) {
    throw new Error(
      `merchant ${target.id} has no encryption key ${v['merchant-kid'] ?? ''} (it has: ${target.encryptionKeys.map((k) => k.kid).join(', ')})`,
    );
  }

  let signer: SignerInput;
  let iss: string;
  if (v['as-merchant']) {
    if (!target.signing) throw new Error(`merchant ${target.id} has no signing key (make it with merchant create --signing)`);
    signer = { signing: target.signing };
    iss = merchantIssuerId(target.id);
  } else {
    const platform = await loadPlatform(v.platform!);
    signer = platform;
    iss = platform.iss;
  }

  const options: ClaimOptions = { iss: v.iss ?? iss, mid: v.mid ?? target.id, ...claimOptions };

  const minter = createMinter(signer, encKey);
  const opts = { ...(alg ? { alg } : {}), ...(enc ? { enc } : {}), prefix: !v.bare, typ: !v['no-typ'] };
  const jtis: string[] = [];
  const pngs: string[] = [];
  for (let n = 1; n <= count; n++) {
    const jti = v.jti === undefined ? undefined : count > 1 ? `${v.jti}-${n}` : v.jti;
    const claims = claimsFor(kind, { ...options, ...(jti !== undefined ? { jti } : {}) });
    for (const name of v.omit ?? []) delete claims[name];
    const text = await minter.mint(claims, opts);
    process.stdout.write(text + '\n');
    jtis.push(String(claims.jti));
    if (v.png) {
      const file = resolve(count > 1 ? numberedFile(v.png, n) : v.png);
      await mkdir(dirname(file), { recursive: true });
      await writeQrPng(text, file, scale !== undefined ? { scale } : {});
      pngs.push(file);
    }
  }
  const outerAlg = alg ?? (minter.merchantKeyType === 'RSA' ? 'RSA-OAEP-256' : 'ECDH-ES');
  const shown = jtis.length > 10 ? `${jtis.slice(0, 10).join(', ')} … (${jtis.length})` : jtis.join(', ');
  process.stderr.write(
    `minted ${count} ${kind} voucher${count > 1 ? 's' : ''} for ${options.mid} from ${options.iss} ` +
      `(${signer.signing.alg} ${signer.signing.kid} → ${minter.merchantKeyType ?? '?'} ${minter.merchantKid}, ${outerAlg}/${enc ?? 'A256GCM'}${v.bare ? ', bare' : ''}): ${shown}\n` +
      (pngs.length ? `  QR: ${pngs.length > 3 ? `${pngs[0]} … ${pngs[pngs.length - 1]}` : pngs.join(', ')}\n` : ''),
  );
  return 0;
}

// ------------------------------------------------------------------ qr

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function qr(argv: string[]): Promise<number> {
  const { values: v, positionals } = args(argv, { png: { type: 'string' }, scale: { type: 'string' } }, 1);
  if (v.help) return help();
  const source = positionals[0];
  if (source === undefined) throw new UsageError('qr wants the text (or - for stdin)');
  const file = resolve(required(v.png, 'png'));
  const scale = num(v.scale, 'scale');
  if (scale !== undefined && (!Number.isInteger(scale) || scale < 1 || scale > 50)) throw new UsageError('--scale must be an integer from 1 to 50');
  const text = source === '-' ? (await readStdin()).replace(/\r?\n$/, '') : source;
  if (text === '') throw new UsageError('the text is empty');
  await mkdir(dirname(file), { recursive: true });
  await writeQrPng(text, file, scale !== undefined ? { scale } : {});
  process.stderr.write(`wrote a QR code of ${text.length} characters to ${file}\n`);
  process.stdout.write(file + '\n');
  return 0;
}

// ------------------------------------------------------------------ main

function help(): number {
  process.stdout.write(USAGE);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
        throw new UsageError('no command given');
      case 'help':
      case '--help':
      case '-h':
        return help();
      case 'platform':
        if (sub !== 'init') throw new UsageError(`unknown command: platform ${sub ?? ''}`.trim());
        return await platformInit(rest);
      case 'merchant':
        if (sub !== 'create') throw new UsageError(`unknown command: merchant ${sub ?? ''}`.trim());
        return await merchantCreate(rest);
      case 'mint':
        return await mint(argv.slice(1));
      case 'qr':
        return await qr(argv.slice(1));
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`issuer: ${e.message}\n(npm run issuer -- help shows every command and option)\n`);
      return 2;
    }
    process.stderr.write(`issuer: ${(e as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
