/**
 * The command-line entry over the same core: `npm run cli -- <command>`.
 * verify/redeem print one JSON object and exit 0 for VALID, 1 for any other
 * verdict; every command exits 2 for a usage error.
 *
 * Commands go through the contract's calls (`core.invoke`), as the page does;
 * verify/redeem ask the redeemer itself, since they print the voucher's raw
 * claims, which the contract's answers leave out.
 */
import { readFileSync } from 'node:fs';
import { campaignModeChoice } from '../../preload/contract';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Core } from '../core/services';
import { openCore, passphrase } from './open';
import { defaultDataDir } from '../core/paths';
import { isUserError, UserError } from '../core/errors';
import { decodeText } from '../../common/text/encoding';
import { askSecret, readStdin } from './prompt';
import { runSyncCommand, SYNC_COMMANDS, SYNC_USAGE } from './sync';
import { CRM_COMMANDS, CRM_USAGE, CrmUsage, runCrmCommand } from './crm';
import { runStaffCommand, STAFF_COMMANDS, STAFF_USAGE, StaffUsage } from './staff';
import { BACKUP_USAGE, BackupUsage, runBackupCommand } from './backup';

const USAGE = `VoucherDesk command line

Usage: npm run cli -- <command> [options]     (every command takes --data-dir D)

  keys import FILE [--role merchant-encryption|merchant-signing|issuer] [--kid K] [--iss I] [--replace-merchant]
  keys list [--json]
  verify [--now UNIX] [--pin P] TEXT|-
  redeem [--now UNIX] [--pin P] [--units N] [--amount MINOR] TEXT|-
  history [--json] [--limit N]
  reverse EVENT_ID [--reason TEXT]
  campaigns list [--json]
  campaigns set ID --name NAME [--stock N] [--mode strict|lenient|platform] [--from DATE] [--to DATE] [--hours 10:00-22:00]
  campaigns import FILE          (CSV or JSON: id,name,stock,from,to,hours)
  revocations import FILE        (CSV or JSON: iss,jti,reason,at)
  revocations list [--json]
  products import FILE           (CSV or JSON: sku,name,price,cur,picture)
  points show HOLDER [--json]
${SYNC_USAGE}
${CRM_USAGE}
${STAFF_USAGE}
${BACKUP_USAGE}
  decode FILE...                 (PNG/JPEG; one JSON line per file, the camera's decoder)

The admin passphrase comes from VOUCHERDESK_PASSPHRASE or a prompt; a sealed
bundle's passphrase from VOUCHERDESK_BUNDLE_PASSPHRASE or a prompt.
verify/redeem exit 0 for VALID, 1 for any other verdict, 2 for a usage error.`;

class UsageError extends Error {}

const common = { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...common, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function int(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`${name} must be a whole number`);
  return Number(v);
}

async function unlockIfPossible(core: Core): Promise<void> {
  if ((await core.invoke('keystore.view', {})).state !== 'locked') return;
  const p = await passphrase();
  if (p) await core.invoke('keystore.unlock', { passphrase: p });
}

async function adminToken(core: Core, firstTimeSetup = false): Promise<string> {
  const p = await passphrase();
  if (!p) throw new UserError('admin.required', 'This needs the admin passphrase: set VOUCHERDESK_PASSPHRASE or run it in a terminal.');
  if (firstTimeSetup && !(await core.invoke('app.info', {})).adminConfigured) {
    if (!process.env.VOUCHERDESK_PASSPHRASE) {
      const again = await askSecret('The same passphrase again: ');
      if (again !== p) throw new UserError('admin.mismatch', 'The two passphrases differ; nothing was changed.');
    }
    const { token } = await core.invoke('admin.setup', { passphrase: p });
    process.stderr.write('Admin passphrase set for this workstation.\n');
    return token;
  }
  return (await core.invoke('admin.login', { passphrase: p })).token;
}

/** Minor units in the currency's own format, e.g. CN¥30.00. */
function formatMoney(minor: number, cur: string | null): string {
  if (!cur) return String(minor);
  const f = new Intl.NumberFormat('en', { style: 'currency', currency: cur });
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(minor / 10 ** digits);
}

function readText(file: string): string {
  try {
    return decodeText(readFileSync(file)).text; // a GBK CSV from a Chinese spreadsheet too
  } catch {
    throw new UserError('file.cannotRead', `Cannot read ${file}.`);
  }
}

async function voucherText(positional: string | undefined): Promise<string> {
  if (positional === undefined) throw new UsageError('Give the voucher text, or - to read it from standard input');
  return positional === '-' ? readStdin() : positional;
}

function print(value: unknown, json: boolean | undefined, human: () => string): void {
  process.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : human() + '\n');
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  if (command === 'decode') {
    const files = rest[0] === '--' ? rest.slice(1) : rest;
    if (files.length === 0) throw new UsageError('decode needs one or more image files (PNG or JPEG)');
    const { runDecode } = await import('./decode');
    return runDecode(files, (l) => process.stdout.write(l + '\n'), (l) => process.stderr.write(l + '\n'));
  }
  if (CRM_COMMANDS.includes(command)) {
    const dir = rest.includes('--data-dir') ? rest[rest.indexOf('--data-dir') + 1] : undefined;
    const core = await openCore(resolve(dir ?? defaultDataDir()));
    try {
      return await runCrmCommand(core, command, rest, () => adminToken(core), (l) => process.stdout.write(l + '\n'), (l) => process.stderr.write(l + '\n'));
    } catch (e) {
      if (e instanceof CrmUsage) throw new UsageError(e.message);
      throw e;
    } finally {
      core.close();
    }
  }
  if (STAFF_COMMANDS.includes(command)) {
    const dir = rest.includes('--data-dir') ? rest[rest.indexOf('--data-dir') + 1] : undefined;
    const core = await openCore(resolve(dir ?? defaultDataDir()));
    try {
      return await runStaffCommand(core, command, rest, () => adminToken(core), (l) => process.stdout.write(l + '\n'));
    } catch (e) {
      if (e instanceof StaffUsage) throw new UsageError(e.message);
      throw e;
    } finally {
      core.close();
    }
  }
  if (command === 'backup') {
    try {
      return await runBackupCommand(rest, openCore, (core) => adminToken(core), unlockIfPossible, (l) => process.stdout.write(l + '\n'));
    } catch (e) {
      if (e instanceof BackupUsage) throw new UsageError(e.message);
      throw e;
    }
  }
  if (SYNC_COMMANDS.includes(command)) {
    const dir = parse(rest, { status: { type: 'boolean' }, all: { type: 'boolean' }, day: { type: 'string' } }).values['data-dir'];
    const core = await openCore(resolve(dir ?? defaultDataDir()));
    try {
      return await runSyncCommand(core, command, rest, () => unlockIfPossible(core), (l) => process.stdout.write(l + '\n'));
    } finally {
      core.close();
    }
  }
  const withSub = ['keys', 'campaigns', 'revocations', 'products', 'points'];
  const sub = withSub.includes(command) ? rest.shift() : undefined;
  const opts = {
    role: { type: 'string' },
    kid: { type: 'string' },
    iss: { type: 'string' },
    'replace-merchant': { type: 'boolean' },
    now: { type: 'string' },
    pin: { type: 'string' },
    units: { type: 'string' },
    amount: { type: 'string' },
    limit: { type: 'string' },
    reason: { type: 'string' },
    name: { type: 'string' },
    stock: { type: 'string' },
    mode: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    hours: { type: 'string' },
  } as const;
  const { values, positionals } = parse(rest, opts);
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const subs: Record<string, string[] | null> = {
    keys: ['import', 'list'],
    campaigns: ['list', 'set', 'import'],
    revocations: ['import', 'list'],
    products: ['import'],
    points: ['show'],
    verify: null,
    redeem: null,
    history: null,
    reverse: null,
  };
  if (!(command in subs)) throw new UsageError(`Unknown command: ${command}`);
  const allowed = subs[command];
  if (allowed && !allowed.includes(sub ?? '')) throw new UsageError(`${command} takes ${allowed.join(' or ')}`);

  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  let core: Core;
  try {
    core = await openCore(dataDir);
  } catch (e) {
    // verify/redeem answer with a verdict, as they do when the key store is locked.
    if ((command === 'verify' || command === 'redeem') && isUserError(e) && e.code === 'keystore.locked') {
      process.stdout.write(JSON.stringify({ verdict: 'KEYSTORE_LOCKED' }) + '\n');
      return 1;
    }
    throw e;
  }
  try {
    switch (command) {
      case 'keys': {
        if (sub === 'list') {
          const v = await core.invoke('keystore.view', {});
          print(v, values.json, () =>
            [
              `Merchant: ${v.merchant ? `${v.merchant.id} (${v.merchant.name})` : '—'}${v.branch ? `, branch ${v.branch.id} (${v.branch.name})` : ''}`,
              `Key store: ${v.state}`,
              `Issuers: ${v.issuers.map((i) => `${i.iss} (${i.name})`).join(', ') || '—'}`,
              ...v.keys.map((k) => `  ${k.role.padEnd(20)} ${k.kid.padEnd(24)} ${(k.crv ?? `${k.kty} ${k.bits}`).padEnd(8)} ${k.fingerprint}  ${k.iss ?? ''}`),
            ].join('\n'),
          );
          return 0;
        }
        const file = positionals[0];
        if (!file) throw new UsageError('keys import needs a FILE');
        const content = readText(file);
        const role = values.role as 'merchant-encryption' | 'merchant-signing' | 'issuer' | undefined;
        if (role && !['merchant-encryption', 'merchant-signing', 'issuer'].includes(role)) throw new UsageError('--role must be merchant-encryption, merchant-signing or issuer');
        const token = await adminToken(core, true);
        const bundlePassphrase = process.env.VOUCHERDESK_BUNDLE_PASSPHRASE || undefined;
        const importKeys = (bundlePassphrase: string | undefined) =>
          core.invoke('keystore.import', { adminToken: token, fileName: file, content, role, kid: values.kid, iss: values.iss, replaceMerchant: values['replace-merchant'], bundlePassphrase });
        const r = await importKeys(bundlePassphrase).catch(async (e: unknown) => {
          // A sealed bundle and no passphrase for it yet: ask once.
          if (bundlePassphrase || !isUserError(e) || e.code !== 'keys.needBundlePassphrase') throw e;
          const asked = await askSecret('Bundle passphrase (from the platform): ');
          if (!asked) throw e;
          return importKeys(asked);
        });
        if (r.warnings.includes('clearBundle')) process.stderr.write('Warning: this bundle was not encrypted. Keep such files off shared disks and delete them after import.\n');
        print(r, values.json, () =>
          [`Imported ${r.added.length} key(s)${r.merchant ? ` for merchant ${r.merchant.id}` : ''}:`, ...r.added.map((k) => `  ${k.role} ${k.kid} ${k.fingerprint}`)].join('\n'),
        );
        return 0;
      }
      case 'verify':
      case 'redeem': {
        const text = await voucherText(positionals[0]);
        const now = int(values.now, '--now');
        const units = int(values.units, '--units');
        const amount = int(values.amount, '--amount');
        if (units === 0) throw new UsageError('--units must be at least 1');
        if (amount === 0) throw new UsageError('--amount must be at least 1');
        await unlockIfPossible(core);
        // `now` and the raw claims are the CLI's as a trusted caller; the page can pass neither.
        const trusted = { now, claims: true };
        const r =
          command === 'verify'
            ? await core.invoke('voucher.verify', { text, ...(values.pin ? { pin: values.pin } : {}) }, trusted)
            : await core.invoke('voucher.redeem', { text, ...(values.pin ? { pin: values.pin } : {}), ...(units ? { units } : {}), ...(amount ? { amount } : {}) }, trusted);
        process.stdout.write(JSON.stringify(r) + '\n');
        return r.verdict === 'VALID' ? 0 : 1;
      }
      case 'history': {
        const limit = int(values.limit, '--limit') ?? 50;
        const rows = await core.invoke('ledger.history', { limit });
        print(rows, values.json, () =>
          rows.length === 0
            ? 'No redemptions yet.'
            : rows
                .map((e) => {
                  const what =
                    e.kind === 'value'
                      ? `${formatMoney(e.amount ?? 0, e.cur)}`
                      : e.kind === 'gift'
                        ? `gift × ${e.units}`
                        : `${e.units} unit(s)`;
                  const state = e.type === 'reversal' ? `UNDO of ${e.reverses}` : e.reversedBy ? 'reversed' : '';
                  return `${new Date(e.at).toISOString()}  ${e.id}  ${e.type.padEnd(10)} ${e.iss}/${e.jti}  ${e.product ?? e.sku ?? ''}  ${what}  ${e.device}${e.cashier ? ` by ${e.cashier}` : ''}  ${state}`;
                })
                .join('\n'),
        );
        return 0;
      }
      case 'campaigns': {
        const campaignModeOf = (v: string) => {
          const m = campaignModeChoice.safeParse(v);
          if (!m.success) throw new UsageError('--mode must be strict, lenient or platform');
          return m.data;
        };
        if (sub === 'list') {
          const list = await core.invoke('campaigns.list', {});
          print(list, values.json, () =>
            list.length === 0
              ? 'No campaigns.'
              : list
                  .map((c) => `${c.id.padEnd(16)} ${c.name.padEnd(24)} used ${c.used}${c.stock !== null ? `/${c.stock}  left ${c.left}${c.countedAt ? ` (as of ${new Date(c.countedAt).toISOString()})` : ''}  ${c.mode}${c.modeBy === 'owner' ? ' (chosen here)' : ''}${c.allotments ? `, held ${c.held}` : ''}${c.oversold ? `, oversold ${c.oversold}` : ''}` : ''}  ${c.from ? new Date(c.from).toISOString().slice(0, 10) : '…'} → ${c.to ? new Date(c.to).toISOString().slice(0, 10) : '…'}  ${c.hours ?? 'all day'}`)
                  .join('\n'),
          );
          return 0;
        }
        const token = await adminToken(core);
        if (sub === 'import') {
          const file = positionals[0];
          if (!file) throw new UsageError('campaigns import needs a FILE');
          const r = await core.invoke('campaigns.import', { adminToken: token, fileName: file, content: readText(file) });
          print(r, values.json, () => `Imported ${r.imported} campaign(s).`);
          return 0;
        }
        const id = positionals[0];
        if (!id || !values.name) throw new UsageError('campaigns set needs an ID and --name');
        const time = (v: string | undefined, what: string) => {
          if (v === undefined) return null;
          const ms = /^\d+$/.test(v) ? Number(v) * (v.length <= 10 ? 1000 : 1) : Date.parse(v);
          if (Number.isNaN(ms)) throw new UsageError(`${what} must be a date (2027-01-01) or seconds since 1970`);
          return ms;
        };
        const r = await core.invoke('campaigns.set', {
          adminToken: token,
          id,
          name: values.name,
          stock: int(values.stock, '--stock') ?? null,
          from: time(values.from, '--from'),
          to: time(values.to, '--to'),
          hours: values.hours ?? null,
          ...(values.mode !== undefined ? { mode: campaignModeOf(values.mode) } : {}),
        });
        print(r, values.json, () => `Campaign ${id} saved.`);
        return 0;
      }
      case 'revocations': {
        if (sub === 'list') {
          const list = await core.invoke('revocations.list', { limit: int(values.limit, '--limit') ?? 100 });
          print(list, values.json, () =>
            list.length === 0 ? 'No revocations.' : list.map((r) => `${new Date(r.at).toISOString()}  ${r.iss}/${r.jti}  ${r.reason}  (${r.source})`).join('\n'),
          );
          return 0;
        }
        const file = positionals[0];
        if (!file) throw new UsageError('revocations import needs a FILE');
        const token = await adminToken(core);
        const r = await core.invoke('revocations.import', { adminToken: token, fileName: file, content: readText(file) });
        print(r, values.json, () => `Imported ${r.imported} revocation(s).`);
        return 0;
      }
      case 'products': {
        const file = positionals[0];
        if (!file) throw new UsageError('products import needs a FILE');
        const token = await adminToken(core);
        const r = await core.invoke('products.import', { adminToken: token, fileName: file, content: readText(file) });
        print(r, values.json, () => `Imported ${r.imported} product(s).`);
        return 0;
      }
      case 'points': {
        const holder = positionals[0];
        if (!holder) throw new UsageError('points show needs a HOLDER id');
        const p = await core.invoke('points.show', { holder });
        print(p, values.json, () =>
          [
            `${p.holder}: ${p.points} point(s), level ${p.level}${p.perk ? ` (${p.perk})` : ''}${p.toNext !== null ? `, ${p.toNext} to the next level` : ''}`,
            ...p.entries.map((e) => `  ${new Date(e.at).toISOString()}  ${e.delta > 0 ? '+' : ''}${e.delta}  ${e.role}  event ${e.eventId}`),
          ].join('\n'),
        );
        return 0;
      }
      case 'reverse': {
        const eventId = positionals[0];
        if (!eventId) throw new UsageError('reverse needs an EVENT_ID (see history)');
        const token = await adminToken(core);
        const reversal = await core.invoke('ledger.reverse', { adminToken: token, eventId, reason: values.reason ?? '' });
        print(reversal, values.json, () => `Reversed ${eventId}.`);
        return 0;
      }
    }
    return 2;
  } finally {
    core.close();
  }
}

/**
 * Exits once everything written to stdout and stderr has left the process. A
 * plain `process.exit` right after a large write to a pipe cuts it at the pipe's
 * 64 KiB while the reader is slow (`history --json | …`), with exit 0.
 */
function exitAfterOutput(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

run(process.argv.slice(2)).then(
  (code) => exitAfterOutput(code),
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n\n${USAGE}\n`);
      return exitAfterOutput(2);
    }
    if (isUserError(e)) {
      process.stderr.write(`VoucherDesk: ${e.message}\n`);
      return exitAfterOutput(1);
    }
    process.stderr.write(`VoucherDesk: unexpected error (${e instanceof Error ? e.name : 'unknown'}); nothing was changed.\n`);
    exitAfterOutput(1);
  },
);
