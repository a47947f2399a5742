import { stringify } from 'csv-stringify/sync';
import type { AuditEntry } from './audit';

/**
 * The audit log as CSV, in the language-neutral form: ISO times in UTC, the
 * action and role as their codes, the detail as JSON. A cell that a
 * spreadsheet would run as a formula (= + - @ at its start) gets a leading
 * apostrophe; quoting is csv-stringify's.
 */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const cell = (v: string | null) => (v !== null && /^[=+\-@\t\r]/.test(v) ? `'${v}` : (v ?? ''));
  return stringify(
    entries.map((e) => [e.seq, new Date(e.at).toISOString(), e.action, cell(e.actor), e.role, e.staffId ?? '', cell(e.approver), cell(JSON.stringify(e.detail))]),
    { header: true, columns: ['seq', 'at', 'action', 'actor', 'role', 'staffId', 'approver', 'detail'], record_delimiter: '\r\n' },
  );
}
