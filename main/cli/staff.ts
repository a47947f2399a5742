/**
 * The staff commands of `npm run cli`: `staff add NAME --role R` (the PIN from
 * VOUCHERDESK_STAFF_PIN or a prompt), `staff list`, `audit` (the audit log,
 * newest first, or as CSV with --csv). They are the owner's: the admin
 * passphrase gives the token, as for the other admin commands.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ROLES, type AuditEntryView, type Role, type StaffMember } from '../../preload/contract';
import { UserError } from '../core/errors';
import type { Core } from '../core/services';
import { askSecret } from './prompt';

export const STAFF_COMMANDS = ['staff', 'audit'];

export const STAFF_USAGE = `  staff add NAME --role cashier|manager|owner   (PIN of 4-8 digits from VOUCHERDESK_STAFF_PIN or a prompt: admin)
  staff list [--json]
  audit [--limit N] [--csv] [--out FILE] [--json]   (the audit log, newest first; --csv the export: admin)`;

export class StaffUsage extends Error {}

const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

async function staffPin(): Promise<string> {
  const pin = process.env.VOUCHERDESK_STAFF_PIN || (await askSecret('PIN for the new staff member (4 to 8 digits): '));
  if (!pin) throw new UserError('admin.required', 'Give the PIN: set VOUCHERDESK_STAFF_PIN or run it in a terminal.');
  if (!process.env.VOUCHERDESK_STAFF_PIN && (await askSecret('The same PIN again: ')) !== pin) {
    throw new UserError('admin.mismatch', 'The two PINs differ; nothing was changed.');
  }
  return pin;
}

export async function runStaffCommand(core: Core, command: string, args: string[], admin: () => Promise<string>, out: (line: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, role: { type: 'string' }, limit: { type: 'string' }, csv: { type: 'boolean' }, out: { type: 'string' } },
    });
  } catch (e) {
    throw new StaffUsage((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (command === 'audit') {
    if (positionals.length) throw new StaffUsage('audit takes no arguments');
    const adminToken = await admin();
    if (values.csv || values.out) {
      const { content, fileName } = await core.invoke('audit.export', { adminToken });
      if (values.out) {
        writeFileSync(values.out, content);
        out(`Wrote ${fileName} to ${values.out}`);
      } else out(content.trimEnd());
      return 0;
    }
    if (values.limit !== undefined && !/^\d+$/.test(values.limit)) throw new StaffUsage('--limit must be a whole number');
    const list: AuditEntryView[] = await core.invoke('audit.list', { adminToken, limit: values.limit ? Number(values.limit) : 50 });
    if (values.json) out(JSON.stringify(list, null, 2));
    else if (!list.length) out('The audit log is empty.');
    else for (const e of list) out(`${time(e.at)}  ${e.action.padEnd(8)} ${e.actor} (${e.role})${e.approver ? `, approved by ${e.approver}` : ''}  ${JSON.stringify(e.detail)}`);
    return 0;
  }
  const [sub, ...rest] = positionals;
  if (sub === 'list') {
    const list: StaffMember[] = await core.invoke('staff.list', {});
    if (values.json) out(JSON.stringify(list, null, 2));
    else if (!list.length) out('No staff accounts: the counter works without signing in.');
    else for (const m of list) out(`${m.id}  ${m.name}  ${m.role}${m.active ? '' : '  (turned off)'}${m.hasBadge ? '  badge' : ''}`);
    return 0;
  }
  if (sub === 'add') {
    const name = rest.join(' ').trim();
    if (!name) throw new StaffUsage('staff add needs a NAME');
    const role = values.role as Role | undefined;
    if (!role || !ROLES.includes(role)) throw new StaffUsage(`--role must be one of ${ROLES.join(', ')}`);
    const adminToken = await admin();
    const m = await core.invoke('staff.add', { adminToken, name, role, pin: await staffPin() });
    out(values.json ? JSON.stringify(m, null, 2) : `Added ${m.name} (${m.role}) as ${m.id}.`);
    return 0;
  }
  throw new StaffUsage('staff takes add or list');
}
