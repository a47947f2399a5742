import type { MemberRow } from '../../../preload/api/crm';
import type { Db } from '../db/open';
import type { Points } from '../points/points';
import type { People, PersonRow } from './crm';
import { nameKey } from './normalize';

/**
 * Finding people by name or phone (trigram substring search, or a prefix for
 * one or two characters), filtered by tag and level, sorted and paged.
 */

const SEARCH_CANDIDATES = 500;
const CHARS = (s: string) => [...s].length;

export interface SearchOptions {
  q: string;
  tag?: string | undefined;
  level?: number | undefined;
  membersOnly: boolean;
  sort: 'name' | 'lastVisit' | 'spend' | 'visits' | 'memberSince';
  desc: boolean;
  limit: number;
  offset: number;
}

export function searchPeople(people: People, points: Points, o: SearchOptions): { rows: MemberRow[]; more: boolean } {
  const db = people.db;
  const where = ['p.merged_into IS NULL', 'p.erased_at IS NULL'];
  const v: Record<string, unknown> = { limit: o.limit + 1, offset: o.offset };
  if (o.membersOnly) where.push('p.member_since IS NOT NULL');
  if (o.tag) {
    where.push('EXISTS (SELECT 1 FROM json_each(p.tags) WHERE value = @tag)');
    v.tag = o.tag;
  }
  if (o.level !== undefined) {
    const levels = points.rules().levels;
    const lv = levels.find((l) => l.level === o.level);
    const next = levels.filter((l) => l.points > (lv?.points ?? Infinity)).map((l) => l.points);
    v.lo = lv?.points ?? Number.MAX_SAFE_INTEGER;
    v.hi = next.length ? Math.min(...next) : Number.MAX_SAFE_INTEGER;
    where.push(`(SELECT coalesce(sum(hp.points), 0) FROM holder_points hp
                  WHERE hp.holder = p.id OR hp.holder IN (SELECT holder FROM crm_holders WHERE person = p.id)) >= @lo
                AND (SELECT coalesce(sum(hp.points), 0) FROM holder_points hp
                  WHERE hp.holder = p.id OR hp.holder IN (SELECT holder FROM crm_holders WHERE person = p.id)) < @hi`);
  }
  // Control characters (a NUL from a scanner, an escape) are spaces to the search.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
  const q = o.q.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  let capped = false;
  // With a query, the candidates (a few hundred rowids at most) drive the join; without one, the sort's index does.
  let from = 'crm_people p';
  if (q !== '') {
    const ids = candidates(db, q);
    capped = ids.length >= SEARCH_CANDIDATES;
    v.ids = JSON.stringify(ids);
    from = 'json_each(@ids) j CROSS JOIN crm_people p ON p.rowid = j.value';
  }
  const col = { name: 'p.name_key', lastVisit: 'p.last_visit', spend: 'p.spend', visits: 'p.visits', memberSince: 'p.member_since' }[o.sort];
  const dir = o.desc ? 'DESC' : 'ASC';
  const order = o.sort === 'name' ? `${col} ${dir}, p.id` : `${col} IS NULL, ${col} ${dir}, p.name_key`;
  const rows = db
    .prepare<Record<string, unknown>, PersonRow>(`SELECT p.* FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
    .all(v);
  const more = rows.length > o.limit || (capped && rows.length > 0);
  return { rows: rows.slice(0, o.limit).map((r) => people.toRow(r)), more };
}

/** Rowids of people matching the text: trigram substring search, or for one or two characters a prefix. */
function candidates(db: Db, q: string): number[] {
  const digits = /^[\d\s\-+()]+$/.test(q) ? q.replace(/\D/g, '') : null;
  const term = digits ?? nameKey(q);
  if (term === '') return [];
  if (CHARS(term) >= 3) {
    return db
      .prepare<[string, number], { rowid: number }>('SELECT rowid FROM crm_search WHERE crm_search MATCH ? LIMIT ?')
      .all(`"${term.replace(/"/g, '""')}"`, SEARCH_CANDIDATES)
      .map((r) => r.rowid);
  }
  const hi = term + '\u{10FFFF}';
  const out = digits
    ? db
        .prepare<[string, string, number], { rowid: number }>('SELECT rowid FROM crm_people WHERE phone_norm >= ? AND phone_norm < ? LIMIT ?')
        .all(term, hi, SEARCH_CANDIDATES)
    : db
        .prepare<[string, string, number], { rowid: number }>('SELECT rowid FROM crm_people WHERE name_key >= ? AND name_key < ? AND merged_into IS NULL LIMIT ?')
        .all(term, hi, SEARCH_CANDIDATES);
  if (!digits && out.length < 100) {
    // A given name inside a Chinese full name ("小明" in "王小明"): a scan, stopped early.
    const seen = new Set(out.map((r) => r.rowid));
    for (const r of db
      .prepare<[string, number], { rowid: number }>('SELECT rowid FROM crm_people WHERE instr(name_key, ?) > 1 AND merged_into IS NULL LIMIT ?')
      .all(term, 200))
      if (!seen.has(r.rowid)) out.push(r);
  }
  return out.map((r) => r.rowid);
}
