/**
 * The platform's admin and issuer operations against the server's database:
 * the platform key, merchants, branches, devices (each with its own sealed
 * bundle and token), minting (every voucher is recorded with its face),
 * revocations, campaigns and issuer-key rotation. The CLI (`server/index.ts`)
 * and the tests call these; they reuse `server/issuer/*` for all key work.
 */
import { randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import { buildBundleJson, DEFAULT_P2C, sealBundle, type BundleJson } from './issuer/bundle';
import {
  generateIssuerKey,
  generateMerchantKeys,
  publicJwkOf,
  type EncKeyType,
  type Merchant,
  type Platform,
  type SigningAlg,
} from './issuer/keys';
import { DEFAULT_FORMAT, minterFor, type FormatMinter, type VoucherFormat } from './issuer/format';
import { claimsFor, nowSeconds, type ClaimKind, type ClaimOptions, type Claims } from './issuer/mint';
import type { MerchantTable, ServerDb } from './db';
import { lockMerchants, writeTx } from './tx';
import { setCampaignStock } from './stock';
import { wireCampaignMode } from '../common/protocol/sync';
import { addChange } from './changes';
import { openFeed } from './feeds';
import { hashToken } from './devices';
import { nowIso, vkeyOf } from './events';

/** A mistake by the person running a command: printed as one line, nothing changed. */
export class AdminError extends Error {}

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
function checkId(value: string, what: string): void {
  if (!ID_RE.test(value)) throw new AdminError(`${what} "${value}" must be 1–64 letters, digits, or . _ : - (starting with a letter or digit)`);
}

async function setting(sdb: ServerDb, name: string): Promise<string | undefined> {
  return (await sdb.db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst())?.value;
}

// ------------------------------------------------------------------ platform

export interface PlatformInfo {
  iss: string;
  name: string;
  /** Every key not retired, the active one first. */
  platforms: Platform[];
  active: Platform;
}

export async function initPlatform(sdb: ServerDb, opts: { iss?: string; name?: string; alg?: SigningAlg; kid?: string } = {}): Promise<PlatformInfo> {
  const iss = opts.iss ?? 'gb.example';
  if (iss.length < 1 || iss.length > 64) throw new AdminError('--iss must be 1–64 characters');
  const name = opts.name ?? 'Example Group Buy';
  if (await setting(sdb, 'iss')) throw new AdminError(`the platform is already initialised (${await setting(sdb, 'iss')})`);
  const kid = opts.kid ?? `${iss.split('.')[0] ?? iss}-${new Date().getUTCFullYear()}a`;
  const key = await generateIssuerKey({ alg: opts.alg ?? 'EdDSA', kid });
  await writeTx(sdb, async (trx) => {
    await trx.insertInto('settings').values([{ name: 'iss', value: iss }, { name: 'name', value: name }]).execute();
    await trx
      .insertInto('issuer_keys')
      .values({ kid, iss, alg: key.alg, private_jwk: JSON.stringify(key.privateJwk), public_jwk: JSON.stringify(key.publicJwk), status: 'active', created_at: nowIso() })
      .execute();
    await addChange(trx, null, { type: 'issuer-key', iss, key: publicJwkOf(key.publicJwk), status: 'active' });
  });
  return platformInfo(sdb);
}

export async function platformInfo(sdb: ServerDb): Promise<PlatformInfo> {
  const iss = await setting(sdb, 'iss');
  const name = (await setting(sdb, 'name')) ?? '';
  if (!iss) throw new AdminError('the platform is not initialised: run `npm run server -- init` first');
  const keys = await sdb.db.selectFrom('issuer_keys').selectAll().where('status', '<>', 'retired').orderBy('created_at', 'desc').execute();
  const platforms: Platform[] = keys
    .sort((a, b) => (a.status === 'active' ? -1 : b.status === 'active' ? 1 : 0))
    .map((k) => ({
      iss: k.iss,
      name,
      signing: { alg: k.alg as SigningAlg, kid: k.kid, privateJwk: JSON.parse(k.private_jwk) as JWK, publicJwk: JSON.parse(k.public_jwk) as JWK },
    }));
  const active = platforms[0];
  if (!active) throw new AdminError('the platform has no active issuer key');
  return { iss, name, platforms, active };
}

/** A new issuer signing key: it signs from now on; the old one stays for verification (status rotated). */
export async function rotateKey(sdb: ServerDb, opts: { kid?: string; alg?: SigningAlg } = {}): Promise<{ kid: string; previous: string }> {
  const info = await platformInfo(sdb);
  const kid = opts.kid ?? `${info.iss.split('.')[0] ?? info.iss}-${Date.now().toString(36)}`;
  if (await sdb.db.selectFrom('issuer_keys').select('kid').where('kid', '=', kid).executeTakeFirst()) throw new AdminError(`key ${kid} exists already`);
  const key = await generateIssuerKey({ alg: opts.alg ?? info.active.signing.alg, kid });
  const previous = info.active.signing.kid;
  await writeTx(sdb, async (trx) => {
    await trx.updateTable('issuer_keys').set({ status: 'rotated' }).where('status', '=', 'active').execute();
    await trx
      .insertInto('issuer_keys')
      .values({ kid, iss: info.iss, alg: key.alg, private_jwk: JSON.stringify(key.privateJwk), public_jwk: JSON.stringify(key.publicJwk), status: 'active', created_at: nowIso() })
      .execute();
    await addChange(trx, null, { type: 'issuer-key', iss: info.iss, key: publicJwkOf(info.active.signing.publicJwk), status: 'rotated' });
    await addChange(trx, null, { type: 'issuer-key', iss: info.iss, key: publicJwkOf(key.publicJwk), status: 'active' });
  });
  return { kid, previous };
}

/** Stop trusting an old (rotated) key: announced with status retired. The active key cannot be retired. */
export async function retireKey(sdb: ServerDb, kid: string): Promise<void> {
  const row = await sdb.db.selectFrom('issuer_keys').selectAll().where('kid', '=', kid).executeTakeFirst();
  if (!row) throw new AdminError(`no issuer key ${kid}`);
  if (row.status === 'active') throw new AdminError(`key ${kid} is the active key: rotate first`);
  await writeTx(sdb, async (trx) => {
    await trx.updateTable('issuer_keys').set({ status: 'retired' }).where('kid', '=', kid).execute();
    await addChange(trx, null, { type: 'issuer-key', iss: row.iss, key: publicJwkOf(JSON.parse(row.public_jwk) as JWK), status: 'retired' });
  });
}

// ------------------------------------------------------------------ merchants, branches, devices

export interface MerchantInput {
  id: string;
  name: string;
  /** Revenue share in percent, up to two decimals (85, 85.5). */
  sharePercent: number;
  cur?: string;
  /** "+08:00", "-05:30", "Z" — the offset days are cut at for settlement. Default UTC. */
  utcOffset?: string;
  enc?: EncKeyType;
  /** Give the merchant a signing key (batch files, own vouchers). Default true. */
  signing?: boolean;
}

export function parseUtcOffset(s: string): number {
  if (s === 'Z' || s === 'UTC') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(s);
  if (!m || Number(m[2]) > 14 || Number(m[3]) > 59) throw new AdminError(`--utc-offset must look like +08:00 or -05:30 (got "${s}")`);
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

export async function createMerchant(sdb: ServerDb, input: MerchantInput): Promise<MerchantTable> {
  checkId(input.id, 'merchant id');
  if (!input.name) throw new AdminError('--name is required');
  const bp = Math.round(input.sharePercent * 100);
  if (!Number.isFinite(input.sharePercent) || input.sharePercent < 0 || input.sharePercent > 100 || Math.abs(bp - input.sharePercent * 100) > 1e-6) {
    throw new AdminError(`--share must be a percentage from 0 to 100 with at most two decimals (got ${input.sharePercent})`);
  }
  const cur = input.cur ?? 'CNY';
  if (!/^[A-Z]{3}$/.test(cur)) throw new AdminError(`--cur must be an ISO 4217 code such as CNY (got "${cur}")`);
  const offset = parseUtcOffset(input.utcOffset ?? 'Z');
  if (await sdb.db.selectFrom('merchants').select('id').where('id', '=', input.id).executeTakeFirst()) throw new AdminError(`merchant ${input.id} exists already`);
  const slug = input.id.toLowerCase();
  const year = new Date().getUTCFullYear();
  const keys = await generateMerchantKeys({ enc: input.enc ?? 'X25519', kid: `${slug}-${year}a`, ...(input.signing === false ? {} : { sigKid: `${slug}-sig-${year}a` }) });
  const row: MerchantTable = {
    id: input.id,
    name: input.name,
    share_bp: bp,
    cur,
    utc_offset_min: offset,
    enc_kid: keys.encryption.kid,
    enc_type: keys.encryption.type,
    enc_private_jwk: JSON.stringify(keys.encryption.privateJwk),
    enc_public_jwk: JSON.stringify(keys.encryption.publicJwk),
    sig_kid: keys.signing?.kid ?? null,
    sig_private_jwk: keys.signing ? JSON.stringify(keys.signing.privateJwk) : null,
    sig_public_jwk: keys.signing ? JSON.stringify(keys.signing.publicJwk) : null,
    created_at: nowIso(),
  };
  // Under the 'platform' lock, so its feed starts after every platform-wide change (server/feeds.ts).
  await writeTx(sdb, async (trx) => {
    await trx.insertInto('merchants').values(row).execute();
    await openFeed(trx, row.id);
  });
  return row;
}

export async function getMerchant(sdb: ServerDb, id: string): Promise<MerchantTable> {
  const row = await sdb.db.selectFrom('merchants').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AdminError(`no merchant ${id}`);
  return row;
}

export async function createBranch(sdb: ServerDb, input: { mid: string; id: string; name?: string }): Promise<void> {
  await getMerchant(sdb, input.mid);
  checkId(input.id, 'branch id');
  if (await sdb.db.selectFrom('branches').select('id').where('mid', '=', input.mid).where('id', '=', input.id).executeTakeFirst()) {
    throw new AdminError(`branch ${input.id} of ${input.mid} exists already`);
  }
  await sdb.db.insertInto('branches').values({ mid: input.mid, id: input.id, name: input.name ?? input.id }).execute();
}

export interface DeviceInput {
  mid: string;
  branch?: string;
  id: string;
  /** The base URL the workstation calls (`${url}/v1/events`). */
  url: string;
  passphrase: string;
  p2c?: number;
}

export interface DeviceCreated {
  deviceId: string;
  token: string;
  bundle: BundleJson;
  sealed: string;
}

function merchantOf(row: MerchantTable, branch?: { id: string; name: string }, server?: Merchant['server']): Merchant {
  return {
    id: row.id,
    name: row.name,
    ...(branch ? { branch } : {}),
    encryption: {
      kid: row.enc_kid,
      type: row.enc_type as EncKeyType,
      privateJwk: JSON.parse(row.enc_private_jwk) as JWK,
      publicJwk: JSON.parse(row.enc_public_jwk) as JWK,
    },
    ...(row.sig_kid && row.sig_private_jwk && row.sig_public_jwk
      ? { signing: { alg: 'EdDSA' as const, kid: row.sig_kid, privateJwk: JSON.parse(row.sig_private_jwk) as JWK, publicJwk: JSON.parse(row.sig_public_jwk) as JWK } }
      : {}),
    ...(server ? { server } : {}),
  };
}

/** A device: a fresh token (kept only as its hash) and its own sealed bundle. */
export async function createDevice(sdb: ServerDb, input: DeviceInput): Promise<DeviceCreated> {
  const m = await getMerchant(sdb, input.mid);
  checkId(input.id, 'device id');
  let branch: { id: string; name: string } | undefined;
  if (input.branch !== undefined) {
    const b = await sdb.db.selectFrom('branches').selectAll().where('mid', '=', input.mid).where('id', '=', input.branch).executeTakeFirst();
    if (!b) throw new AdminError(`no branch ${input.branch} of ${input.mid}: run \`branch create\` first`);
    branch = { id: b.id, name: b.name };
  }
  if (await sdb.db.selectFrom('device_merchants').select('id').where('id', '=', input.id).executeTakeFirst()) throw new AdminError(`device ${input.id} exists already`);
  if (!/^https?:\/\//.test(input.url)) throw new AdminError(`--url must be an http(s) URL (got "${input.url}")`);
  const info = await platformInfo(sdb);
  const token = randomBytes(32).toString('base64url');
  const url = input.url.replace(/\/+$/, '');
  const bundle = buildBundleJson(merchantOf(m, branch, { url, deviceId: input.id, token }), info.platforms);
  const sealed = await sealBundle(bundle, input.passphrase, { p2c: input.p2c ?? DEFAULT_P2C });
  // Which merchant the id belongs to (its key keeps device ids unique across merchants), then the device (key (mid, id)).
  await sdb.db.transaction().execute(async (trx) => {
    await trx.insertInto('device_merchants').values({ id: input.id, mid: input.mid }).execute();
    await trx
      .insertInto('devices')
      .values({ id: input.id, mid: input.mid, branch: branch?.id ?? null, token_hash: hashToken(token), created_at: nowIso(), revoked_at: null })
      .execute();
  });
  return { deviceId: input.id, token, bundle, sealed };
}

/** Refuse a device's token from now on (401). */
export async function revokeDevice(sdb: ServerDb, id: string): Promise<void> {
  const mid = (await sdb.db.selectFrom('device_merchants').select('mid').where('id', '=', id).executeTakeFirst())?.mid ?? '';
  const r = await sdb.db.updateTable('devices').set({ revoked_at: nowIso() }).where('mid', '=', mid).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw new AdminError(`no active device ${id}`);
}

// ------------------------------------------------------------------ vouchers

export interface MintInput extends Partial<ClaimOptions> {
  mid: string;
  kind?: ClaimKind;
  /** Price of one unit in minor units (item/gift), for settlement. Default 0. */
  unitPrice?: number;
  /** The voucher format: GBV2 (default) or GBV1. */
  format?: VoucherFormat;
}

export interface Minted {
  text: string;
  jti: string;
  claims: Claims;
}

/** Mint vouchers with the active issuer key, sealed to the merchant, and record each one's face. */
export async function mint(sdb: ServerDb, input: MintInput, count = 1): Promise<Minted[]> {
  const m = await getMerchant(sdb, input.mid);
  const info = await platformInfo(sdb);
  const { mid: _mid, kind = 'item', unitPrice = 0, format = DEFAULT_FORMAT, ...claimOpts } = input;
  if (!Number.isInteger(unitPrice) || unitPrice < 0) throw new AdminError('--price must be a whole number of minor units ≥ 0');
  if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new AdminError('--count must be 1–100000');
  let minter: FormatMinter;
  try {
    minter = minterFor(format, info.active, JSON.parse(m.enc_public_jwk) as JWK);
  } catch (e) {
    throw new AdminError((e as Error).message);
  }
  // The server's clock at minting (a trusted caller's `now` stands for it): the voucher's issue time.
  const now = claimOpts.now ?? nowSeconds();
  const out: Minted[] = [];
  for (let i = 0; i < count; i++) {
    const jti = claimOpts.jti != null && count > 1 ? `${claimOpts.jti}-${i + 1}` : claimOpts.jti;
    const claims = claimsFor(kind, { ...claimOpts, now, ...(jti !== undefined ? { jti } : {}), iss: info.iss, mid: m.id });
    out.push({ text: await minter.mint(claims), jti: String(claims.jti), claims });
  }
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  await writeTx(sdb, async (trx) => {
    for (let i = 0; i < out.length; i += 200) {
      const part = out.slice(i, i + 200);
      const existing = await trx.selectFrom('vouchers').select('jti').where('vkey', 'in', part.map((o) => vkeyOf(info.iss, o.jti))).execute();
      if (existing.length > 0) throw new AdminError(`voucher ${existing[0]!.jti} exists already`);
      await trx
        .insertInto('vouchers')
        .values(
          part.map((o) => ({
            vkey: vkeyOf(info.iss, o.jti),
            iss: info.iss,
            jti: o.jti,
            mid: m.id,
            kind: o.claims.knd === 'value' ? 'value' : o.claims.knd === 'gift' ? 'gift' : 'item',
            qty: num(o.claims.qty) ?? (o.claims.knd === 'value' ? null : 1),
            val: num(o.claims.val),
            cur: typeof o.claims.cur === 'string' ? o.claims.cur : null,
            use_cap: num(o.claims.use),
            unit_price: unitPrice,
            cmp: typeof o.claims.cmp === 'string' ? o.claims.cmp : null,
            exp: num(o.claims.exp),
            nbf: num(o.claims.nbf),
            issued_at: now,
            minted_at: nowIso(),
            used_units: 0,
            used_amount: 0,
            used_events: 0,
          })),
        )
        .execute();
    }
  });
  return out;
}

/** Revoke a voucher: announced to its merchant's devices. */
export async function revoke(sdb: ServerDb, iss: string, jti: string, reason: string): Promise<{ at: string }> {
  const v = await sdb.db.selectFrom('vouchers').select(['mid']).where('vkey', '=', vkeyOf(iss, jti)).executeTakeFirst();
  if (!v) throw new AdminError(`no voucher ${iss} ${jti} was issued here`);
  if (!reason) throw new AdminError('--reason is required');
  const at = nowIso();
  await writeTx(sdb, async (trx) => {
    const done = await trx.selectFrom('revocations').select('at').where('vkey', '=', vkeyOf(iss, jti)).executeTakeFirst();
    if (done) throw new AdminError(`voucher ${iss} ${jti} was revoked already (${done.at})`);
    await trx.insertInto('revocations').values({ vkey: vkeyOf(iss, jti), iss, jti, at, reason }).execute();
    await addChange(trx, v.mid, { type: 'revocation', iss, jti, at, reason });
  });
  return { at };
}

export interface CampaignInput {
  id: string;
  /** Only this merchant's devices hear of it; absent: every merchant. */
  mid?: string;
  stock?: number | null;
  from?: string | null;
  to?: string | null;
  hours?: string | null;
  /** The platform's default mode for the campaign (protocol 2): carried in the change only when given. */
  mode?: string;
}

/**
 * Create or change a campaign: announced as a `campaign` change. Its count
 * rows (one per merchant it is for) keep its stock (server/stock.ts); the
 * merchants' rows are locked last, as uploads do.
 */
export async function setCampaign(sdb: ServerDb, input: CampaignInput): Promise<void> {
  checkId(input.id, 'campaign id');
  if (input.mid !== undefined) await getMerchant(sdb, input.mid);
  if (input.stock != null && (!Number.isInteger(input.stock) || input.stock < 0)) throw new AdminError('--stock must be a whole number ≥ 0');
  for (const [k, v] of [['from', input.from], ['to', input.to]] as const) {
    if (v != null && Number.isNaN(Date.parse(v))) throw new AdminError(`--${k} must be an ISO date (got "${v}")`);
  }
  if (input.hours != null && !/^\d{2}:\d{2}-\d{2}:\d{2}$/.test(input.hours)) throw new AdminError(`--hours must look like 10:00-22:00 (got "${input.hours}")`);
  if (input.mode !== undefined && !wireCampaignMode.safeParse(input.mode).success) throw new AdminError(`--mode must be strict or lenient (got "${input.mode}")`);
  const body = {
    type: 'campaign' as const,
    id: input.id,
    stock: input.stock ?? null,
    from: input.from ?? null,
    to: input.to ?? null,
    hours: input.hours ?? null,
    ...(input.mode !== undefined ? { mode: input.mode } : {}),
  };
  await writeTx(
    sdb,
    async (trx) => {
      await setCampaignStock(sdb, trx, input.id, input.mid ?? null, body.stock);
      const row = { id: input.id, mid: input.mid ?? null, body: JSON.stringify(body), updated_at: nowIso() };
      await trx.insertInto('campaigns').values(row).onConflict((oc) => oc.column('id').doUpdateSet({ mid: row.mid, body: row.body, updated_at: row.updated_at })).execute();
      await lockMerchants(sdb, trx, input.mid !== undefined ? { mids: [input.mid] } : 'platform');
      await addChange(trx, input.mid ?? null, body);
    },
    'own',
  );
}
