/**
 * `voucherdesk backup create|verify|restore` (main/core/backup). verify and
 * restore never open a workstation: a replaced PC has none yet, and restore
 * writes into an empty data folder (or, with --replace, keeps the old files
 * aside). The backup passphrase comes from VOUCHERDESK_BACKUP_PASSPHRASE or a prompt.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BackupSummary } from '../../preload/contract';
import { readBackupFile } from '../core/backup/backups';
import { restoreInto, verifyBackup } from '../core/backup/restore';
import { UserError } from '../core/errors';
import { defaultDataDir } from '../core/paths';
import type { Core } from '../core/services';
import { askSecret } from './prompt';

export const BACKUP_USAGE = `  backup create PATH [--json]    a backup of everything (a file, or a folder such as a USB stick)
  backup verify FILE [--json]    decrypt and check a backup; replaces nothing
  backup restore FILE [--replace] [--json]   restore into the data folder (--replace: one that holds a workstation; its files are kept aside)
  backup rebuild [--json]        a replaced PC with its device bundle imported again: its own events come back from the platform`;

export class BackupUsage extends Error {}

async function backupPassphrase(confirm: boolean): Promise<string> {
  const env = process.env.VOUCHERDESK_BACKUP_PASSPHRASE;
  if (env) return env;
  const p = await askSecret('Backup passphrase: ');
  if (!p) throw new UserError('backup.needPassphrase', 'This needs the backup passphrase: set VOUCHERDESK_BACKUP_PASSPHRASE or run it in a terminal.');
  if (confirm && (await askSecret('The same passphrase again: ')) !== p) throw new UserError('admin.mismatch', 'The two passphrases differ; nothing was changed.');
  return p;
}

export function summaryText(s: BackupSummary): string {
  return [
    `Merchant: ${s.merchant ? `${s.merchant.name} (${s.merchant.id})` : '—'}`,
    `Device: ${s.device}`,
    `Taken: ${new Date(s.at).toISOString().replace('T', ' ').slice(0, 19)} UTC by VoucherDesk ${s.app}`,
    `Events: ${s.events}${s.lastEventId ? ` (last ${s.lastEventId})` : ''}`,
  ].join('\n');
}

export async function runBackupCommand(
  args: string[],
  openCore: (dataDir: string) => Promise<Core>,
  adminToken: (core: Core) => Promise<string>,
  unlock: (core: Core) => Promise<void>,
  out: (line: string) => void,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, replace: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new BackupUsage((e as Error).message);
  }
  const { values, positionals } = parsed;
  const [sub, path] = positionals;
  if (sub === 'rebuild' && !path) return rebuild(resolve(values['data-dir'] ?? defaultDataDir()), openCore, adminToken, unlock, (v, human) => out(values.json ? JSON.stringify(v, null, 2) : human));
  if (!sub || !['create', 'verify', 'restore'].includes(sub) || !path) throw new BackupUsage('backup needs create PATH, verify FILE, restore FILE or rebuild');
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const show = (value: unknown, human: string) => out(values.json ? JSON.stringify(value, null, 2) : human);
  if (sub === 'create') {
    const core = await openCore(dataDir);
    try {
      const token = await adminToken(core);
      const r = await core.invoke('backup.create', { adminToken: token, path: resolve(path), passphrase: await backupPassphrase(true) });
      show(r, `Backup written: ${r.file}\n${summaryText(r.summary)}`);
    } finally {
      core.close();
    }
    return 0;
  }
  const bytes = readBackupFile(resolve(path));
  const passphrase = await backupPassphrase(false);
  if (sub === 'verify') {
    const v = await verifyBackup(bytes, passphrase);
    v.dispose();
    show(v.summary, `The backup is intact.\n${summaryText(v.summary)}`);
    return 0;
  }
  const r = await restoreInto(dataDir, bytes, passphrase, { os: null, replace: values.replace ?? false, now: Date.now() });
  show(r, `Restored into ${dataDir}.\n${summaryText(r.summary)}${r.keptAside ? `\nThe files it replaced are kept in ${r.keptAside}.` : ''}`);
  return 0;
}

async function rebuild(
  dataDir: string,
  openCore: (dataDir: string) => Promise<Core>,
  adminToken: (core: Core) => Promise<string>,
  unlock: (core: Core) => Promise<void>,
  show: (value: unknown, human: string) => void,
): Promise<number> {
  const core = await openCore(dataDir);
  try {
    const token = await adminToken(core);
    await unlock(core); // the server token is sealed in the key store
    const r = await core.invoke('backup.rebuild', { adminToken: token });
    show(r, `${r.events} event(s) came back from the platform${r.skipped ? ` (${r.skipped} skipped)` : ''}.`);
  } finally {
    core.close();
  }
  return 0;
}
