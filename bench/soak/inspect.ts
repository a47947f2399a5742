/**
 * Reading a workstation's database from outside the core, to check what a
 * kill left: its integrity, the ledger, the members. The only place the soak
 * opens the file itself (read-only, beside the running core: WAL allows it).
 * When the database is encrypted at rest, this is what learns to open it.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';

export const DB_FILE = 'voucherdesk.db';

function open(dataDir: string): Database.Database {
  const db = new Database(join(dataDir, DB_FILE), { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 10000');
  return db;
}

export interface LedgerState {
  integrity: string;
  /** Ids of the events in the ledger. */
  eventIds: Set<string>;
  /** Redemptions beyond the first, per voucher (every soak voucher has one unit). */
  doubles: number;
}

export function readLedger(dataDir: string): LedgerState {
  const db = open(dataDir);
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    const eventIds = new Set((db.prepare('SELECT id FROM events').all() as { id: string }[]).map((r) => r.id));
    const { n } = db
      .prepare("SELECT coalesce(sum(c - 1), 0) AS n FROM (SELECT count(*) AS c FROM events WHERE type = 'redemption' GROUP BY iss, jti HAVING c > 1)")
      .get() as { n: number };
    return { integrity, eventIds, doubles: n };
  } finally {
    db.close();
  }
}

/** How many people each name prefix has (the CRM soak names each imported batch by a prefix of fixed length). */
export function countPeopleByPrefix(dataDir: string, prefixLength: number): { integrity: string; counts: Map<string, number> } {
  const db = open(dataDir);
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    const rows = db.prepare('SELECT substr(name, 1, ?) AS p, count(*) AS n FROM crm_people GROUP BY p').all(prefixLength) as { p: string; n: number }[];
    return { integrity, counts: new Map(rows.map((r) => [r.p, r.n])) };
  } finally {
    db.close();
  }
}
