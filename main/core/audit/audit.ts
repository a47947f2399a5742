import type { Db } from '../db/open';
import type { Actor, Role } from '../staff/roles';

/** What the audit log records: the staff actions an owner wants to be able to read back. */
export type AuditAction =
  | 'signIn'
  | 'signOut'
  | 'override'
  | 'undo'
  | 'settings'
  | 'export'
  | 'staff'
  | 'shift'
  | 'backup'
  | 'kiosk';

export interface AuditEntry {
  seq: number;
  at: number;
  action: AuditAction;
  actor: string;
  role: Role;
  staffId: string | null;
  /** The manager or owner who approved an action above the actor's role, by name. */
  approver: string | null;
  /** What was done, without secrets or voucher text (ids, setting names, counts). */
  detail: Record<string, string | number | boolean | null>;
}

interface Row {
  seq: number;
  at: number;
  action: AuditAction;
  actor: string;
  role: Role;
  staff_id: string | null;
  approver: string | null;
  detail: string;
}

/** The append-only log of staff actions (migration 5 refuses any change to a written line). */
export class AuditLog {
  private readonly insert;
  private readonly page;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      'INSERT INTO audit (at, action, actor, role, staff_id, approver, detail) VALUES (@at, @action, @actor, @role, @staffId, @approver, @detail)',
    );
    this.page = db.prepare<[number, number, number, number], Row>(
      'SELECT * FROM audit WHERE seq < ? AND at >= ? AND at < ? ORDER BY seq DESC LIMIT ?',
    );
  }

  /** Records one action by `actor`, approved by `approver` when it was above their role. */
  record(action: AuditAction, actor: Actor, detail: AuditEntry['detail'] = {}, approver: Actor | null = null, at = Date.now()): number {
    const r = this.insert.run({
      at,
      action,
      actor: actor.name,
      role: actor.role,
      staffId: actor.staffId,
      approver: approver ? approver.name : null,
      detail: JSON.stringify(detail),
    });
    return Number(r.lastInsertRowid);
  }

  /** The newest entries first, `limit` at a time, optionally between two instants (ms, end excluded). */
  list(opts: { limit?: number; beforeSeq?: number; from?: number; to?: number } = {}): AuditEntry[] {
    const rows = this.page.all(opts.beforeSeq ?? Number.MAX_SAFE_INTEGER, opts.from ?? 0, opts.to ?? Number.MAX_SAFE_INTEGER, opts.limit ?? 200);
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      action: r.action,
      actor: r.actor,
      role: r.role,
      staffId: r.staff_id,
      approver: r.approver,
      detail: JSON.parse(r.detail) as AuditEntry['detail'],
    }));
  }
}
