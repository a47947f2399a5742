/**
 * `npm run server -- [command] [--data-dir D | --database postgres://…] …`
 * The reference group-buy server and its admin/issuer commands. See
 * server/README.md.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from './app';
import {
  AdminError,
  createBranch,
  createDevice,
  createMerchant,
  initPlatform,
  mint,
  retireKey,
  revoke,
  revokeDevice,
  rotateKey,
  setCampaign,
} from './admin';
import { BatchRefused, importBatch } from './batch';
import { openServerDb, type ServerDb } from './db';
import { parseDay, settlement } from './settlement';
import { VOUCHER_FORMATS, type VoucherFormat } from './issuer/format';
import { CLAIM_KINDS, parseTime, writeQrPng, type ClaimKind } from './issuer/mint';
import { ENC_KEY_TYPES, SIGNING_ALGS, type EncKeyType, type SigningAlg } from './issuer/keys';

const USAGE = `Usage: npm run server -- [command] [--data-dir DIR | --database postgres://…] [options]

The database: DIR/server.sqlite (default DIR ./server-data), or PostgreSQL with
--database postgres://user:pass@host:port/db (or $VOUCHERDESK_SERVER_DATABASE).

Commands:
  serve [--port 8787] [--host 127.0.0.1] [--max-in-flight 64] [--rate N]
        [--retry-after 1] [--busy-file FILE]          (the default command)
  init [--iss gb.example] [--name NAME] [--alg EdDSA|ES256|RS256|PS256] [--kid K]
  merchant create --id M1001 --name NAME --share 85 [--cur CNY] [--utc-offset +08:00]
                  [--enc X25519|P-256|RSA] [--no-signing]
  branch create --mid M1001 --id B01 [--name Nanshan]
  device create --mid M1001 --id B01-POS1 [--branch B01] --url http://127.0.0.1:8787
                [--passphrase P] [--out FILE.jwe] [--clear FILE.json] [--p2c N]
  device revoke B01-POS1
  mint --mid M1001 [--kind ${CLAIM_KINDS.join('|')}] [--qty N] [--val MINOR --cur CNY]
       [--use N] [--sku S] [--jti S] [--exp T] [--cmp ID] [--pin 1234]
       [--price MINOR] [--count N] [--png FILE] [--format gbv2|gbv1]
       (GBV2, the compact format, by default: it needs an EdDSA or ES256 issuer
       key and an X25519 or P-256 merchant key; GBV1 takes any)
  revoke ISS JTI --reason TEXT
  campaign set --id CNY-2027 [--mid M1001] [--stock N] [--mode strict|lenient] [--from ISO] [--to ISO]
               [--hours 10:00-22:00]
  rotate-key [--kid K] [--alg A]
  retire-key KID
  import FILE [--receipt OUT]        (default OUT: FILE.receipt.json)
  settlement --mid M1001 --day YYYY-MM-DD
`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  'data-dir': { type: 'string' },
  database: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'max-in-flight': { type: 'string' },
  rate: { type: 'string' },
  'retry-after': { type: 'string' },
  'busy-file': { type: 'string' },
  iss: { type: 'string' },
  name: { type: 'string' },
  alg: { type: 'string' },
  kid: { type: 'string' },
  id: { type: 'string' },
  share: { type: 'string' },
  cur: { type: 'string' },
  'utc-offset': { type: 'string' },
  enc: { type: 'string' },
  'no-signing': { type: 'boolean' },
  mid: { type: 'string' },
  branch: { type: 'string' },
  url: { type: 'string' },
  passphrase: { type: 'string' },
  out: { type: 'string' },
  clear: { type: 'string' },
  p2c: { type: 'string' },
  kind: { type: 'string' },
  qty: { type: 'string' },
  val: { type: 'string' },
  use: { type: 'string' },
  sku: { type: 'string' },
  jti: { type: 'string' },
  exp: { type: 'string' },
  cmp: { type: 'string' },
  pin: { type: 'string' },
  price: { type: 'string' },
  count: { type: 'string' },
  png: { type: 'string' },
  format: { type: 'string' },
  reason: { type: 'string' },
  stock: { type: 'string' },
  mode: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  hours: { type: 'string' },
  receipt: { type: 'string' },
  day: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function need<T>(v: T | undefined, name: string): T {
  if (v === undefined || v === '') throw new AdminError(`--${name} is required`);
  return v;
}

function int(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n)) throw new AdminError(`--${name} must be a whole number (got "${v}")`);
  return n;
}

function oneOf<T extends string>(v: string | undefined, allowed: readonly T[], name: string): T | undefined {
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new AdminError(`--${name} must be one of ${allowed.join(', ')} (got "${v}")`);
  return v as T;
}

function out(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

function writePrivate(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

async function run(cmd: string[], v: Values, sdb: ServerDb, dataDir: string): Promise<number> {
  const [a, b] = cmd;
  switch (a) {
    case undefined:
    case 'serve': {
      const port = int(v.port, 'port') ?? 8787;
      const s = await startServer({
        sdb,
        port,
        host: v.host ?? '127.0.0.1',
        ...(v['max-in-flight'] !== undefined ? { maxInFlight: int(v['max-in-flight'], 'max-in-flight')! } : {}),
        ...(v.rate !== undefined ? { deviceRate: Number(v.rate) } : {}),
        ...(v['retry-after'] !== undefined ? { retryAfter: int(v['retry-after'], 'retry-after')! } : {}),
        ...(v['busy-file'] !== undefined ? { busyFile: resolve(v['busy-file']) } : {}),
      });
      process.stderr.write(`voucherdesk server listening on ${s.url} (database: ${sdb.dialect} ${sdb.where})\n`);
      out({ listening: s.url, port: s.port, database: sdb.dialect });
      await new Promise<void>((done) => {
        const stop = () => void s.close().then(done);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      return 0;
    }
    case 'init': {
      const info = await initPlatform(sdb, {
        ...(v.iss !== undefined ? { iss: v.iss } : {}),
        ...(v.name !== undefined ? { name: v.name } : {}),
        ...(v.alg !== undefined ? { alg: oneOf<SigningAlg>(v.alg, SIGNING_ALGS, 'alg')! } : {}),
        ...(v.kid !== undefined ? { kid: v.kid } : {}),
      });
      out({ iss: info.iss, name: info.name, kid: info.active.signing.kid, alg: info.active.signing.alg });
      return 0;
    }
    case 'merchant': {
      if (b !== 'create') throw new AdminError('usage: merchant create --id M --name NAME --share 85');
      const share = Number(need(v.share, 'share'));
      const m = await createMerchant(sdb, {
        id: need(v.id, 'id'),
        name: need(v.name, 'name'),
        sharePercent: share,
        ...(v.cur !== undefined ? { cur: v.cur } : {}),
        ...(v['utc-offset'] !== undefined ? { utcOffset: v['utc-offset'] } : {}),
        ...(v.enc !== undefined ? { enc: oneOf<EncKeyType>(v.enc, ENC_KEY_TYPES, 'enc')! } : {}),
        signing: !v['no-signing'],
      });
      out({ id: m.id, name: m.name, sharePercent: m.share_bp / 100, cur: m.cur, utcOffsetMinutes: m.utc_offset_min, encKid: m.enc_kid, sigKid: m.sig_kid });
      return 0;
    }
    case 'branch': {
      if (b !== 'create') throw new AdminError('usage: branch create --mid M --id B01 [--name N]');
      await createBranch(sdb, { mid: need(v.mid, 'mid'), id: need(v.id, 'id'), ...(v.name !== undefined ? { name: v.name } : {}) });
      out({ mid: v.mid, id: v.id, name: v.name ?? v.id });
      return 0;
    }
    case 'device': {
      if (b === 'revoke') {
        const id = cmd[2] ?? need(v.id, 'id');
        await revokeDevice(sdb, id);
        out({ revoked: id });
        return 0;
      }
      if (b !== 'create') throw new AdminError('usage: device create --mid M --id D --url U | device revoke D');
      const id = need(v.id, 'id');
      let passphrase = v.passphrase ?? process.env.SERVER_BUNDLE_PASSPHRASE;
      const generated = passphrase === undefined;
      if (passphrase === '') throw new AdminError('the bundle passphrase is empty');
      passphrase ??= randomBytes(12).toString('base64url');
      const d = await createDevice(sdb, {
        mid: need(v.mid, 'mid'),
        id,
        url: need(v.url, 'url'),
        passphrase,
        ...(v.branch !== undefined ? { branch: v.branch } : {}),
        ...(v.p2c !== undefined ? { p2c: int(v.p2c, 'p2c')! } : {}),
      });
      const bundleFile = resolve(v.out ?? join(dataDir, 'bundles', `${id}.jwe`));
      writePrivate(bundleFile, d.sealed + '\n');
      const files: Record<string, string> = { bundle: bundleFile };
      if (generated) writePrivate((files.passphrase = bundleFile.replace(/\.jwe$/, '') + '.passphrase'), passphrase + '\n');
      if (v.clear !== undefined) writePrivate((files.clear = resolve(v.clear)), JSON.stringify(d.bundle, null, 2) + '\n');
      process.stderr.write(`device ${id} of ${v.mid}: sealed bundle ${bundleFile}${generated ? ` (passphrase in ${files.passphrase})` : ''}\n`);
      out({ deviceId: d.deviceId, token: d.token, url: d.bundle.server?.url, files });
      return 0;
    }
    case 'mint': {
      const kind = oneOf<ClaimKind>(v.kind, CLAIM_KINDS, 'kind') ?? 'item';
      const format = oneOf<VoucherFormat>(v.format, VOUCHER_FORMATS, 'format');
      const count = int(v.count, 'count') ?? 1;
      const now = Math.floor(Date.now() / 1000);
      let exp: number | undefined;
      if (v.exp !== undefined) {
        try {
          exp = parseTime(v.exp, now);
        } catch (e) {
          throw new AdminError(`--exp: ${(e as Error).message}`);
        }
      }
      const minted = await mint(
        sdb,
        {
          mid: need(v.mid, 'mid'),
          kind,
          ...(v.qty !== undefined ? { qty: int(v.qty, 'qty')! } : {}),
          ...(v.val !== undefined ? { val: int(v.val, 'val')! } : {}),
          ...(v.cur !== undefined ? { cur: v.cur } : {}),
          ...(v.use !== undefined ? { use: int(v.use, 'use')! } : {}),
          ...(v.sku !== undefined ? { sku: v.sku } : {}),
          ...(v.jti !== undefined ? { jti: v.jti } : {}),
          ...(exp !== undefined ? { exp } : {}),
          ...(v.cmp !== undefined ? { cmp: v.cmp } : {}),
          ...(v.pin !== undefined ? { pin: v.pin } : {}),
          ...(v.price !== undefined ? { unitPrice: int(v.price, 'price')! } : {}),
          ...(format !== undefined ? { format } : {}),
        },
        count,
      );
      for (const [i, m] of minted.entries()) {
        process.stdout.write(m.text + '\n');
        if (v.png !== undefined) {
          const file = count > 1 ? v.png.replace(/(\.png)?$/i, `-${i + 1}.png`) : v.png;
          await writeQrPng(m.text, file);
        }
      }
      process.stderr.write(`minted ${minted.length} ${kind} voucher(s) for ${v.mid}: ${minted.map((m) => m.jti).join(', ')}\n`);
      return 0;
    }
    case 'revoke': {
      const [, iss, jti] = cmd;
      if (!iss || !jti) throw new AdminError('usage: revoke ISS JTI --reason TEXT');
      const r = await revoke(sdb, iss, jti, need(v.reason, 'reason'));
      out({ revoked: { iss, jti }, at: r.at });
      return 0;
    }
    case 'campaign': {
      if (b !== 'set') throw new AdminError('usage: campaign set --id ID [--mid M] [--stock N] [--mode strict|lenient] [--from ISO] [--to ISO] [--hours 10:00-22:00]');
      await setCampaign(sdb, {
        id: need(v.id, 'id'),
        ...(v.mid !== undefined ? { mid: v.mid } : {}),
        ...(v.stock !== undefined ? { stock: int(v.stock, 'stock')! } : {}),
        ...(v.from !== undefined ? { from: v.from } : {}),
        ...(v.to !== undefined ? { to: v.to } : {}),
        ...(v.hours !== undefined ? { hours: v.hours } : {}),
        ...(v.mode !== undefined ? { mode: v.mode } : {}),
      });
      out({ campaign: v.id });
      return 0;
    }
    case 'rotate-key': {
      const r = await rotateKey(sdb, {
        ...(v.kid !== undefined ? { kid: v.kid } : {}),
        ...(v.alg !== undefined ? { alg: oneOf<SigningAlg>(v.alg, SIGNING_ALGS, 'alg')! } : {}),
      });
      out(r);
      return 0;
    }
    case 'retire-key': {
      const kid = b ?? need(v.kid, 'kid');
      await retireKey(sdb, kid);
      out({ retired: kid });
      return 0;
    }
    case 'import': {
      if (!b) throw new AdminError('usage: import FILE [--receipt OUT]');
      let bytes: Buffer;
      try {
        bytes = readFileSync(b);
      } catch (e) {
        throw new AdminError(`cannot read ${b}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      const receipt = await importBatch(sdb, bytes);
      const file = resolve(v.receipt ?? `${b}.receipt.json`);
      writeFileSync(file, JSON.stringify(receipt, null, 2) + '\n');
      process.stderr.write(
        `imported ${b}: ${receipt.counts.stored} stored, ${receipt.counts.duplicate} duplicate, ${receipt.counts.conflict} conflict, ${receipt.counts.rejected} rejected; receipt ${file}\n`,
      );
      out({ receipt: file, counts: receipt.counts });
      return 0;
    }
    case 'settlement': {
      const day = need(v.day, 'day');
      const ms = parseDay(day);
      if (ms === null) throw new AdminError(`--day must be YYYY-MM-DD (got "${day}")`);
      out(await settlement(sdb, need(v.mid, 'mid'), day, ms));
      return 0;
    }
    default:
      throw new AdminError(`unknown command "${a}"\n\n${USAGE}`);
  }
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`server: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const COMMANDS = ['serve', 'init', 'merchant', 'branch', 'device', 'mint', 'revoke', 'campaign', 'rotate-key', 'retire-key', 'import', 'settlement'];
  if (positionals[0] !== undefined && !COMMANDS.includes(positionals[0])) {
    process.stderr.write(`server: unknown command "${positionals[0]}"\n\n${USAGE}`);
    return 2;
  }
  const dataDir = resolve(v['data-dir'] ?? 'server-data');
  const database = v.database ?? process.env.VOUCHERDESK_SERVER_DATABASE;
  let sdb: ServerDb | undefined;
  try {
    sdb = await openServerDb({ dataDir, ...(database ? { database } : {}) });
    return await run(positionals, v, sdb, dataDir);
  } catch (e) {
    if (e instanceof AdminError || e instanceof BatchRefused) {
      process.stderr.write(`server: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`server: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  } finally {
    await sdb?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`server: ${String(e)}\n`);
    process.exit(1);
  },
);
