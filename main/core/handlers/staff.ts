/** Staff accounts, signing in at the counter, a manager's approval, the audit log. */
import type { staffCalls } from '../../../preload/api/staff';
import type { AuditEntry } from '../audit/audit';
import { auditCsv } from '../audit/csv';
import type { Staff } from '../staff/staff';
import type { Deps, HandlerMap } from './types';

/** The most lines one export holds (the newest); the log is read a page at a time. */
const EXPORT_PAGE = 1000;

export function staffHandlers({ admin, audit, log, staff }: Deps): HandlerMap<keyof typeof staffCalls> {
  const { accounts } = staff;
  return {
    'staff.state': () => staff.state(),
    'staff.list': () => accounts.list(),
    'staff.add': async ({ adminToken, name, role, pin }) => {
      const actor = admin.require(adminToken, 'owner');
      const m = await accounts.add({ name, role, pin });
      audit.record('staff', actor, { change: 'add', staff: m.id, name: m.name, role: m.role });
      log.info('staff added', { staff: m.id, role: m.role });
      staff.changed(m.id);
      return m;
    },
    'staff.update': async ({ adminToken, id, pin, ...p }) => {
      const actor = admin.require(adminToken, 'owner');
      const m = await accounts.update(id, { ...p, pin });
      // What changed, by name; a new PIN only as a flag, never the PIN.
      audit.record('staff', actor, { change: 'update', staff: id, name: p.name ?? null, role: p.role ?? null, active: p.active ?? null, pin: pin !== undefined });
      log.info('staff updated', { staff: id });
      staff.changed(id);
      return m;
    },
    'staff.badge': async ({ adminToken, id }) => {
      const actor = admin.require(adminToken, 'owner');
      const text = await accounts.issueBadge(id);
      audit.record('staff', actor, { change: 'badge', staff: id });
      log.info('staff badge issued', { staff: id });
      staff.changed(id);
      return { text };
    },
    'staff.signIn': (proof) => staff.signIn(proof),
    'staff.signOut': () => staff.signOut(),
    'staff.approve': ({ need, ...proof }) => staff.approve(proof as Parameters<Staff['approve']>[0], need),
    'staff.setIdle': ({ adminToken, minutes }) => {
      const actor = admin.require(adminToken, 'owner');
      staff.counter.setIdleMinutes(minutes);
      audit.record('settings', actor, { keys: 'staff.idleMinutes', minutes });
      return staff.state();
    },
    'audit.list': ({ adminToken, ...opts }) => {
      admin.require(adminToken, 'owner');
      return audit.list(opts).map(({ staffId: _s, ...e }) => e);
    },
    'audit.export': ({ adminToken, from, to }) => {
      const actor = admin.require(adminToken, 'owner');
      const entries: AuditEntry[] = [];
      for (let page = audit.list({ from, to, limit: EXPORT_PAGE }); page.length; page = audit.list({ from, to, limit: EXPORT_PAGE, beforeSeq: page.at(-1)!.seq })) {
        entries.push(...page);
      }
      entries.reverse();
      const content = auditCsv(entries);
      audit.record('export', actor, { what: 'audit', lines: entries.length });
      const day = new Date().toISOString().slice(0, 10);
      return { fileName: `voucherdesk-audit-${day}.csv`, content };
    },
  };
}
