/**
 * The command-line entry over the same core: `npm run cli -- <command>`.
 * verify/redeem print one JSON object and exit 0 for VALID, 1 for any other
 * verdict; every command exits 2 for a usage error.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createCore, type Core } from '../core/services';
import { defaultDataDir } from '../core/paths';
import { isUserError, UserError } from '../core/errors';
import { askSecret, readStdin } from './prompt';

const USAGE = `VoucherDesk command line

Usage: npm run cli -- <command> [options]     (every command takes --data-dir D)

  keys import FILE [--role merchant-encryption|merchant-signing|issuer] [--kid K] [--iss I] [--replace-merchant]
  keys list [--json]
  verify [--now UNIX] [--pin P] TEXT|-
  redeem [--now UNIX] [--pin P] [--units N] [--amount MINOR] TEXT|-
  history [--json] [--limit N]
  reverse EVENT_ID [--reason TEXT]

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

async function passphrase(): Promise<string | null> {
  return process.env.VOUCHERDESK_PASSPHRASE || (await askSecret('Admin passphrase: '));
}

async function unlockIfPossible(core: Core): Promise<void> {
  if (core.keystore.state() !== 'locked') return;
  const p = await passphrase();
  if (p) await core.keystore.unlock(p);
}

async function adminToken(core: Core, firstTimeSetup = false): Promise<string> {
  const p = await passphrase();
  if (!p) throw new UserError('admin.required', 'This needs the admin passphrase: set VOUCHERDESK_PASSPHRASE or run it in a terminal.');
  if (firstTimeSetup && !core.keystore.adminConfigured()) {
    if (!process.env.VOUCHERDESK_PASSPHRASE) {
      const again = await askSecret('The same passphrase again: ');
      if (again !== p) throw new UserError('admin.mismatch', 'The two passphrases differ; nothing was changed.');
    }
    await core.keystore.setupAdmin(p);
    process.stderr.write('Admin passphrase set for this workstation.\n');
  } else {
    await core.keystore.checkAdmin(p);
  }
  return core.admin.issue().token;
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
  const sub = command === 'keys' ? rest.shift() : undefined;
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
  } as const;
  const { values, positionals } = parse(rest, opts);
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const known = ['keys', 'verify', 'redeem', 'history', 'reverse'];
  if (!known.includes(command)) throw new UsageError(`Unknown command: ${command}`);
  if (command === 'keys' && sub !== 'import' && sub !== 'list') throw new UsageError('keys takes import or list');

  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const core = await createCore({ dataDir, protector: { mode: 'passphrase' } });
  try {
    switch (command) {
      case 'keys': {
        if (sub === 'list') {
          const v = core.keystore.view();
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
        let content: string;
        try {
          content = readFileSync(file, 'utf8');
        } catch {
          throw new UserError('keys.cannotRead', `Cannot read ${file}.`);
        }
        const role = values.role as 'merchant-encryption' | 'merchant-signing' | 'issuer' | undefined;
        if (role && !['merchant-encryption', 'merchant-signing', 'issuer'].includes(role)) throw new UsageError('--role must be merchant-encryption, merchant-signing or issuer');
        const token = await adminToken(core, true);
        let bundlePassphrase = process.env.VOUCHERDESK_BUNDLE_PASSPHRASE || undefined;
        const input = { adminToken: token, fileName: file, content, role, kid: values.kid, iss: values.iss, replaceMerchant: values['replace-merchant'] };
        let outcome = await core.call('keystore.import', { ...input, bundlePassphrase });
        if (!outcome.ok && outcome.error.code === 'keys.needBundlePassphrase' && !bundlePassphrase) {
          bundlePassphrase = (await askSecret('Bundle passphrase (from the platform): ')) ?? undefined;
          if (bundlePassphrase) outcome = await core.call('keystore.import', { ...input, bundlePassphrase });
        }
        if (!outcome.ok) throw new UserError(outcome.error.code, outcome.error.message, outcome.error.params);
        const r = outcome.value as import('../../preload/contract').ImportResult;
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
        const r =
          command === 'verify'
            ? await core.redeemer.verify(text, { pin: values.pin, now })
            : await core.redeemer.redeem(text, { pin: values.pin, now, units, amount });
        process.stdout.write(JSON.stringify(r) + '\n');
        return r.verdict === 'VALID' ? 0 : 1;
      }
      case 'history': {
        const limit = int(values.limit, '--limit') ?? 50;
        const outcome = await core.call('ledger.history', { limit });
        if (!outcome.ok) throw new UserError(outcome.error.code, outcome.error.message);
        const rows = outcome.value as import('../../preload/contract').HistoryEntry[];
        print(rows, values.json, () =>
          rows.length === 0
            ? 'No redemptions yet.'
            : rows
                .map((e) => {
                  const what = e.kind === 'value' ? `${e.amount} ${e.cur} (minor units)` : `${e.units} unit(s)`;
                  const state = e.type === 'reversal' ? `UNDO of ${e.reverses}` : e.reversedBy ? 'reversed' : '';
                  return `${new Date(e.at).toISOString()}  ${e.id}  ${e.type.padEnd(10)} ${e.iss}/${e.jti}  ${e.sku ?? ''}  ${what}  ${e.device}${e.cashier ? ` by ${e.cashier}` : ''}  ${state}`;
                })
                .join('\n'),
        );
        return 0;
      }
      case 'reverse': {
        const eventId = positionals[0];
        if (!eventId) throw new UsageError('reverse needs an EVENT_ID (see history)');
        const token = await adminToken(core);
        const outcome = await core.call('ledger.reverse', { adminToken: token, eventId, reason: values.reason ?? '' });
        if (!outcome.ok) throw new UserError(outcome.error.code, outcome.error.message, outcome.error.params);
        print(outcome.value, values.json, () => `Reversed ${eventId}.`);
        return 0;
      }
    }
    return 2;
  } finally {
    core.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    if (isUserError(e)) {
      process.stderr.write(`VoucherDesk: ${e.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`VoucherDesk: unexpected error (${e instanceof Error ? e.name : 'unknown'}); nothing was changed.\n`);
    process.exit(1);
  },
);
