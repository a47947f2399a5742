/**
 * The sync commands of `npm run cli`: sync, sync --status, export FILE,
 * receipt FILE, conflicts, close-day, through the contract (core.invoke) like
 * every other command. Kept here so main/cli/index.ts only dispatches to them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CloseDayReport, ConflictView, SyncStatus } from '../../preload/contract';
import { UserError } from '../core/errors';
import type { Core } from '../core/services';

export const SYNC_COMMANDS = ['sync', 'export', 'receipt', 'conflicts', 'close-day'];

export const SYNC_USAGE = `  sync [--status] [--json]      upload waiting events and download changes (or only show the status)
  export FILE [--json]          write the events not yet uploaded as a batch file (signed when there is a signing key)
  receipt FILE                  load the platform's receipt for an imported batch file
  conflicts [--all] [--json]    conflicts between branches (--all: settled ones too)
  close-day [--day YYYY-MM-DD] [--json]   sync, then this workstation's count next to the platform's settlement (UTC day)`;

const t = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19));

export function statusText(s: SyncStatus): string {
  if (!s.configured) return 'No server is configured (import a bundle with a server).';
  return [
    `Server: ${s.url} as ${s.deviceId}`,
    `State: ${s.online ? 'online' : s.offlineSince ? `offline since ${t(s.offlineSince)}` : 'not synced yet'}${s.unlocked ? '' : ' (key store locked)'}`,
    `Waiting: ${s.waiting} event(s)`,
    `Last sync: ${t(s.lastSync)}`,
    `Open conflicts: ${s.openConflicts}   Rejected: ${s.rejected}`,
    ...(s.clockWrongMinutes !== null ? [`Clock wrong by ${s.clockWrongMinutes} minute(s)`] : []),
    ...s.lastErrors.map((e) => `Error ${t(e.at)}: ${e.code}${e.params ? ' ' + JSON.stringify(e.params) : ''}`),
  ].join('\n');
}

function conflictText(list: ConflictView[]): string {
  if (list.length === 0) return 'No conflicts.';
  return list
    .map((c) => {
      const ev = c.event ? `${c.event.branch ?? '?'}/${c.event.device ?? '?'} at ${t(c.event.at)}` : 'not known here';
      const first = `${c.first.branch ?? '?'}/${c.first.device ?? '?'} at ${t(c.first.at)}`;
      return `${c.iss ?? '?'}/${c.jti ?? '?'}  event ${c.eventId} (${ev}) came after ${c.first.id} (${first})${c.settledAt ? `  settled ${t(c.settledAt)}: ${c.note}` : '  OPEN'}`;
    })
    .join('\n');
}

export function dayText(r: CloseDayReport): string {
  const rows = ['redemptions', 'reversals', 'units', 'gross', 'conflicts'] as const;
  const lines = [`Close of day ${r.day} (UTC) — ${r.device}${r.branch ? `, branch ${r.branch.id}` : ''}`];
  lines.push(`${''.padEnd(12)} ${'this POS'.padStart(10)} ${'ledger'.padStart(10)} ${'server'.padStart(10)}`);
  for (const k of rows) {
    const diff = r.differences.includes(k) ? '  <-- differs' : '';
    lines.push(`${k.padEnd(12)} ${String(r.workstation[k]).padStart(10)} ${String(r.ledger[k]).padStart(10)} ${String(r.server ? r.server[k] : '—').padStart(10)}${diff}`);
  }
  if (r.server) lines.push(`merchant's share: ${r.server.share} ${r.server.cur ?? ''}`);
  for (const c of r.campaigns) lines.push(`campaign ${c.id}: ${c.left} of ${c.stock} left ${c.countedAt !== null ? `(as of the last sync, ${new Date(c.countedAt).toISOString()})` : '(counted on this workstation only)'}, ${c.mode}`);
  for (const o of r.oversold) lines.push(`oversold: ${o.units} of campaign ${o.campaign ?? '?'} (event ${o.eventId})`);
  if (r.syncError) lines.push(`Could not reach the platform: ${r.syncError.code}`);
  return lines.join('\n');
}

export async function runSyncCommand(core: Core, command: string, args: string[], unlock: () => Promise<void>, out: (s: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, status: { type: 'boolean' }, all: { type: 'boolean' }, day: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const print = (v: unknown, human: () => string) => out(values.json ? JSON.stringify(v, null, 2) : human());
  switch (command) {
    case 'sync': {
      if (!values.status) {
        await unlock();
        await core.invoke('sync.now', {});
      }
      const s = await core.invoke('sync.status', {});
      print(s, () => statusText(s));
      return 0;
    }
    case 'export': {
      const file = positionals[0];
      if (!file) throw new UserError('usage', 'export needs a FILE');
      await unlock();
      const r = await core.invoke('sync.export', {});
      writeFileSync(file, r.content);
      print({ file, count: r.count, signed: r.signed }, () => `Wrote ${r.count} event(s) to ${file}${r.signed ? ' (signed)' : ' (not signed: no signing key)'}.`);
      return 0;
    }
    case 'receipt': {
      const file = positionals[0];
      if (!file) throw new UserError('usage', 'receipt needs a FILE');
      let content: string;
      try {
        content = readFileSync(file, 'utf8');
      } catch {
        throw new UserError('file.cannotRead', `Cannot read ${file}.`);
      }
      const r = await core.invoke('sync.loadReceipt', { content });
      print(r, () => `Marked ${r.marked} event(s) as uploaded.`);
      return 0;
    }
    case 'conflicts': {
      const list = await core.invoke('sync.conflicts', { includeSettled: values.all ?? false });
      print(list, () => conflictText(list));
      return 0;
    }
    case 'close-day': {
      const day = values.day;
      if (day !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day)))) throw new UserError('usage', '--day must be a date like 2026-11-21');
      await unlock().catch(() => {});
      const r = await core.invoke('sync.closeDay', day === undefined ? {} : { day });
      print(r, () => dayText(r));
      return r.differences.length > 0 ? 1 : 0;
    }
  }
  return 2;
}
