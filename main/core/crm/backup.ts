import { stringify } from 'csv-stringify/sync';
import type { ReferralRules } from '../../../preload/api/crm';
import type { Db } from '../db/open';
import { UserError } from '../errors';
import type { People, PersonRow } from './crm';
import { nameKey } from './normalize';

/**
 * The CRM's data going out and coming back: CSV export of members and
 * relationships, and the JSON backup of the whole CRM and its restore.
 * Exports carry personal data and say so.
 */

export const PERSONAL_DATA_WARNING =
  'This file contains personal data (names, phone numbers, e-mail addresses). Keep it safe, share it only with people allowed to see it, and delete it when it is no longer needed.';

export function exportCsv(db: Db, kind: 'members' | 'relationships'): string {
  if (kind === 'members') {
    const rows = db
      .prepare('SELECT * FROM crm_people WHERE merged_into IS NULL AND erased_at IS NULL ORDER BY name_key, id')
      .all() as PersonRow[];
    return stringify(
      rows.map((r) => {
        const h = JSON.parse(r.handles) as Record<string, string>;
        return [r.id, r.name, r.phone ?? '', r.email ?? '', r.birthday ?? '', (JSON.parse(r.tags) as string[]).join(';'), r.notes, h.wechat ?? '', h.qq ?? '',
          r.consent ? 'yes' : 'no', r.member_since ? new Date(r.member_since).toISOString().slice(0, 10) : '', r.visits, r.spend, r.last_visit ? new Date(r.last_visit).toISOString() : ''];
      }),
      { header: true, columns: ['id', 'name', 'phone', 'email', 'birthday', 'tags', 'notes', 'wechat', 'qq', 'consent', 'member since', 'visits', 'spend', 'last visit'] },
    );
  }
  const rows = db
    .prepare(
      `SELECT l.kind, a.id AS aid, a.phone AS ap, a.name AS an, b.id AS bid, b.phone AS bp, b.name AS bn FROM crm_links l
         JOIN crm_people a ON a.id = l.a JOIN crm_people b ON b.id = l.b ORDER BY l.id`,
    )
    .all() as { kind: string; aid: string; ap: string | null; an: string; bid: string; bp: string | null; bn: string }[];
  return stringify(
    rows.map((r) => [r.ap ?? r.aid, r.an, r.bp ?? r.bid, r.bn, r.kind]),
    { header: true, columns: ['from', 'from name', 'to', 'to name', 'kind'] },
  );
}

export function backupJson(db: Db, rules: ReferralRules): string {
  const all = (sql: string) => db.prepare(sql).all();
  return JSON.stringify({
    format: 'voucherdesk-crm',
    v: 1,
    at: new Date().toISOString(),
    warning: PERSONAL_DATA_WARNING,
    rules,
    people: all('SELECT * FROM crm_people ORDER BY rowid').map((r) => {
      const { rowid: _r, ...rest } = r as PersonRow;
      return rest;
    }),
    holders: all('SELECT * FROM crm_holders'),
    links: all('SELECT * FROM crm_links'),
    vouchers: all('SELECT * FROM crm_vouchers'),
    events: all('SELECT id, type, person, other, jti, event, at, device, data, synced FROM crm_events ORDER BY seq'),
  });
}

/** Replaces the CRM with a backup, in one transaction; a broken file changes nothing. */
export function restoreBackup(db: Db, people: People, json: string, now: number): { members: number; links: number; vouchers: number; rules: ReferralRules | null } {
  let b: {
    format?: unknown;
    v?: unknown;
    rules?: ReferralRules;
    people?: Record<string, unknown>[];
    holders?: Record<string, unknown>[];
    links?: Record<string, unknown>[];
    vouchers?: Record<string, unknown>[];
    events?: Record<string, unknown>[];
  };
  try {
    b = JSON.parse(json) as typeof b;
  } catch {
    throw new UserError('crm.backup.unreadable', 'This is not a VoucherDesk CRM backup.');
  }
  if (b.format !== 'voucherdesk-crm' || b.v !== 1 || !Array.isArray(b.people) || !Array.isArray(b.links) || !Array.isArray(b.vouchers) || !Array.isArray(b.holders) || !Array.isArray(b.events)) {
    throw new UserError('crm.backup.unreadable', 'This is not a VoucherDesk CRM backup.');
  }
  const insertAll = (table: string, rows: Record<string, unknown>[]) => {
    if (rows.length === 0) return;
    const cols = Object.keys(rows[0]!).filter((c) => /^[a-z_]+$/.test(c));
    const st = db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`);
    for (const r of rows) st.run(Object.fromEntries(cols.map((c) => [c, r[c] ?? null])));
  };
  try {
    db
      .transaction(() => {
        for (const t of ['crm_links', 'crm_holders', 'crm_vouchers', 'crm_events', 'crm_people']) db.prepare(`DELETE FROM ${t}`).run();
        insertAll(
          'crm_people',
          b.people!.map((p) => ({ ...p, name_key: nameKey(String(p.name ?? '')) })),
        );
        insertAll('crm_holders', b.holders!);
        insertAll('crm_links', b.links!);
        insertAll('crm_vouchers', b.vouchers!);
        insertAll('crm_events', b.events!);
        people.log('crm.restored', now, { data: { people: b.people!.length } });
      })
      .immediate();
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError('crm.backup.unreadable', 'This is not a VoucherDesk CRM backup.');
  }
  return { members: b.people.length, links: b.links.length, vouchers: b.vouchers.length, rules: b.rules ?? null };
}
