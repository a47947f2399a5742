import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openKeyFile, readKeyFile, keyFilePath } from '../../../main/core/db/key';
import { connect } from '../../../main/core/db/open';
import type { Core } from '../../../main/core/services';
import { ADMIN_PASSPHRASE, callOk } from '../../support/workstation';

/** Members whose names and phones must never be readable in the files. */
export function membersCsv(n: number): { csv: string; names: string[]; phones: string[] } {
  const names: string[] = [];
  const phones: string[] = [];
  const rows = ['name,phone'];
  for (let i = 0; i < n; i++) {
    const name = `Zhaoxue Member${String(i).padStart(5, '0')}`;
    const phone = `1391234${String(i).padStart(4, '0')}`;
    names.push(name);
    phones.push(phone);
    rows.push(`${name},${phone}`);
  }
  return { csv: rows.join('\n') + '\n', names, phones };
}

export async function importMembers(core: Core, csv: string): Promise<number> {
  const p = await callOk<{ token: string }>(core, 'crm.importPreview', { kind: 'members', contentBase64: Buffer.from(csv).toString('base64') });
  return (await callOk<{ added: number }>(core, 'crm.importCommit', { token: p.token })).added;
}

/**
 * Turns an encrypted workstation back into what an older VoucherDesk left: a
 * clear database and no key file (the migration's starting point).
 */
export async function makeClear(dir: string): Promise<void> {
  const key = await openKeyFile(readKeyFile(dir)!, { os: null, passphrase: ADMIN_PASSPHRASE });
  const db = connect(join(dir, 'voucherdesk.db'), key);
  db.pragma('journal_mode = DELETE');
  db.pragma("rekey = ''");
  db.close();
  rmSync(keyFilePath(dir));
}

/** Row counts of every table, read with the key (or from a clear file without one). */
export function tableCounts(file: string, key?: Buffer): Record<string, number> {
  const db = connect(file, key, { readonly: true });
  try {
    const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    return Object.fromEntries(names.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}
