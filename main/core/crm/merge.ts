import { UserError } from '../errors';
import type { People, PersonRow } from './crm';
import { cleanTags } from './normalize';

/**
 * The two ways a person's record ends: merged into another (a duplicate), or
 * erased on request. Both keep the ledger's figures adding up.
 */

/** Merges `mergeId` into `keepId`: links, holders and referral vouchers move; both ledger histories stay, under the kept member. */
export function mergePeople(people: People, keepId: string, mergeId: string, at: number): PersonRow {
  const db = people.db;
  const addLink = db.prepare('INSERT INTO crm_links (id, a, b, kind, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(a, b, kind) DO NOTHING');
  const addHolder = db.prepare('INSERT INTO crm_holders (holder, person) VALUES (?, ?) ON CONFLICT(holder) DO NOTHING');
  const keep = people.need(keepId);
  const gone = people.need(mergeId);
  if (keep.id === gone.id) throw new UserError('crm.mergeSelf', 'A member cannot be merged with themself.');
  db.transaction(() => {
    // Links: move, dropping the ones that would join the kept member to itself or repeat one.
    for (const l of people.links(gone.id)) {
      const a = l.a === gone.id ? keep.id : l.a;
      const b = l.b === gone.id ? keep.id : l.b;
      db.prepare('DELETE FROM crm_links WHERE id = ?').run(l.id);
      if (a !== b) addLink.run(l.id, a, b, l.kind, at);
    }
    db.prepare('UPDATE crm_holders SET person = ? WHERE person = ?').run(keep.id, gone.id);
    addHolder.run(gone.id, keep.id);
    db.prepare('UPDATE crm_vouchers SET person = ? WHERE person = ? AND purpose = \'reward\'').run(keep.id, gone.id);
    db.prepare('UPDATE crm_vouchers SET referrer = ? WHERE referrer = ?').run(keep.id, gone.id);
    // A welcome voucher moves only when the kept member has none (never two for one person).
    const keptWelcome = db.prepare("SELECT 1 FROM crm_vouchers WHERE person = ? AND purpose = 'welcome'").get(keep.id);
    if (!keptWelcome) db.prepare("UPDATE crm_vouchers SET person = ? WHERE person = ? AND purpose = 'welcome'").run(keep.id, gone.id);
    const fill: Record<string, unknown> = {};
    if (!keep.phone && gone.phone) Object.assign(fill, { phone: gone.phone, phone_norm: gone.phone_norm });
    if (!keep.email && gone.email) Object.assign(fill, { email: gone.email, email_norm: gone.email_norm });
    if (!keep.birthday && gone.birthday) fill.birthday = gone.birthday;
    const tags = cleanTags([...(JSON.parse(keep.tags) as string[]), ...(JSON.parse(gone.tags) as string[])]);
    fill.tags = JSON.stringify(tags);
    fill.handles = JSON.stringify({ ...(JSON.parse(gone.handles) as object), ...(JSON.parse(keep.handles) as object) });
    fill.notes = [keep.notes, gone.notes].filter(Boolean).join('\n');
    const since = [keep.member_since, gone.member_since].filter((x): x is number => x !== null);
    fill.member_since = since.length ? Math.min(...since) : null;
    const cols = Object.keys(fill);
    db.prepare(`UPDATE crm_people SET ${cols.map((c) => `${c} = @${c}`).join(', ')}, updated_at = @at WHERE id = @id`).run({ ...fill, at, id: keep.id });
    db
      .prepare('UPDATE crm_people SET merged_into = ?, phone_norm = NULL, email_norm = NULL, updated_at = ? WHERE id = ?')
      .run(keep.id, at, gone.id);
    people.log('member.merged', at, { person: keep.id, other: gone.id });
    people.recompute(keep.id);
  })();
  return people.row(keep.id)!;
}

/**
 * Erasure on request: personal fields, links and holder ids are removed; the
 * row stays as an anonymous id so the ledger's redemptions still add up.
 */
export function erasePerson(people: People, id: string, at: number): void {
  const db = people.db;
  const r = people.need(id);
  const ids = people.historyIds(r.id);
  db.transaction(() => {
    for (const pid of ids) {
      db
        .prepare(
          `UPDATE crm_people SET name = '', name_key = '', phone = NULL, phone_norm = NULL, email = NULL, email_norm = NULL, handles = '{}',
             birthday = NULL, tags = '[]', notes = '', consent = 0, consent_at = NULL, consent_how = '', erased_at = ?, updated_at = ? WHERE id = ?`,
        )
        .run(at, at, pid);
      db.prepare('DELETE FROM crm_links WHERE a = ? OR b = ?').run(pid, pid);
      db.prepare('DELETE FROM crm_holders WHERE person = ?').run(pid);
      db.prepare('UPDATE crm_vouchers SET phone_norm = NULL, email_norm = NULL WHERE person = ?').run(pid);
    }
    people.log('member.erased', at, { person: r.id });
  })();
  if (people.counter?.id === r.id) people.counter = null;
}
