/** `issuer mint`: vouchers of every kind, as text and as QR PNGs. */
import { mkdir } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { CONTENT_ENCS, KEY_MANAGEMENT_ALGS, merchantIssuerId, type ContentEnc, type KeyManagementAlg } from '../keys';
import { DEFAULT_FORMAT, minterFor, VOUCHER_FORMATS, type VoucherFormat } from '../format';
import { CLAIM_KINDS, claimsFor, nowSeconds, writeQrPng, type ClaimKind, type ClaimOptions, type Claims, type SignerInput } from '../mint';
import { args, num, oneOf, required, time, UsageError } from './args';
import { loadMintTarget, loadPlatform } from './files';
import { help } from './usage';

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

export async function mint(argv: string[]): Promise<number> {
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
    format: { type: 'string' },
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
  const format: VoucherFormat = oneOf(v.format, VOUCHER_FORMATS, 'format') ?? DEFAULT_FORMAT;
  if (format === 'gbv2') {
    for (const name of ['alg', 'enc', 'no-typ'] as const) {
      if (v[name] !== undefined) throw new UsageError(`--${name} is a GBV1 option: add --format gbv1`);
    }
  }
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

  const opts = { ...(alg ? { alg } : {}), ...(enc ? { enc } : {}), prefix: !v.bare, typ: !v['no-typ'] };
  const minter = minterFor(format, signer, encKey, opts);
  const jtis: string[] = [];
  const pngs: string[] = [];
  for (let n = 1; n <= count; n++) {
    const jti = v.jti === undefined ? undefined : count > 1 ? `${v.jti}-${n}` : v.jti;
    const claims = claimsFor(kind, { ...options, ...(jti !== undefined ? { jti } : {}) });
    for (const name of v.omit ?? []) delete claims[name];
    const text = await minter.mint(claims);
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
  const sealing = format === 'gbv2' ? 'GBV2, HPKE/AES-256-GCM' : `GBV1, ${outerAlg}/${enc ?? 'A256GCM'}`;
  const shown = jtis.length > 10 ? `${jtis.slice(0, 10).join(', ')} … (${jtis.length})` : jtis.join(', ');
  process.stderr.write(
    `minted ${count} ${kind} voucher${count > 1 ? 's' : ''} for ${options.mid} from ${options.iss} ` +
      `(${signer.signing.alg} ${signer.signing.kid} → ${minter.merchantKeyType ?? '?'} ${minter.merchantKid}, ${sealing}${v.bare ? ', bare' : ''}): ${shown}\n` +
      (pngs.length ? `  QR: ${pngs.length > 3 ? `${pngs[0]} … ${pngs[pngs.length - 1]}` : pngs.join(', ')}\n` : ''),
  );
  return 0;
}
