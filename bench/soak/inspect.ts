/**
 * Reading a workstation's database from outside the core, to check what a
 * kill left: its integrity, the ledger, the members. The only place the soak
 * opens the file itself (read-only, beside the running core: WAL allows it).
 * The database is encrypted at rest: it opens with the workstation's key,
 * unsealed from its key file (main/core/db/key.ts) with the admin passphrase
 * the soak's stations are set up with, once per key file (a scrypt each time
 * otherwise).
 */
import { join } from 'node:path';
import { openKeyFile, readKeyFile } from '../../main/core/db/key';
import { connect, type Db } from '../../main/core/db/open';
import { DB_FILE } from '../../main/core/db/workstation';
import { ADMIN_PASSPHRASE } from '../../test/sync/support';

export { DB_FILE };

const keys = new Map<string, Buffer>();

/** The database key of the workstation in `dataDir` (its key file sealed with the admin passphrase, or pending). */
export async function databaseKey(dataDir: string): Promise<Buffer> {
  const file = readKeyFile(dataDir);
  if (!file) throw new Error('no database key file in this workstation');
  const id = `${dataDir}\n${JSON.stringify(file)}`;
  let key = keys.get(id);
  if (!key) keys.set(id, (key = await openKeyFile(file, { os: null, passphrase: ADMIN_PASSPHRASE })));
  return key;
}

async function open(dataDir: string): Promise<Db> {
  const db = connect(join(dataDir, DB_FILE), await databaseKey(dataDir), { readonly: true, fileMustExist: true });
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

export async function readLedger(dataDir: string): Promise<LedgerState> {
  const db = await open(dataDir);
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
export async function countPeopleByPrefix(dataDir: string, prefixLength: number): Promise<{ integrity: string; counts: Map<string, number> }> {
  const db = await open(dataDir);
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    const rows = db.prepare('SELECT substr(name, 1, ?) AS p, count(*) AS n FROM crm_people GROUP BY p').all(prefixLength) as { p: string; n: number }[];
    return { integrity, counts: new Map(rows.map((r) => [r.p, r.n])) };
  } finally {
    db.close();
  }
}
