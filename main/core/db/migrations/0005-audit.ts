import type { Db } from '../open';

/**
 * Version 5: the audit log of staff actions (sign-in, override, undo, settings,
 * exports, staff changes). Append-only like the ledger: the triggers refuse any
 * change or removal of a written line.
 */
export const name = 'audit log';

export function up(db: Db): void {
  db.exec(`
    CREATE TABLE audit (
      seq      INTEGER PRIMARY KEY,
      at       INTEGER NOT NULL,
      action   TEXT NOT NULL,
      actor    TEXT NOT NULL,
      role     TEXT NOT NULL CHECK (role IN ('cashier', 'manager', 'owner')),
      staff_id TEXT,
      approver TEXT,
      detail   TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX audit_at ON audit(at);
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
      SELECT RAISE(ABORT, 'the audit log is append-only');
    END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
      SELECT RAISE(ABORT, 'the audit log is append-only');
    END;
  `);
}
