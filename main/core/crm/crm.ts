import type {
  CircleEntry,
  CrmEventView,
  LinkKind,
  MemberDetail,
  MemberRow,
  MemberView,
} from '../../../preload/api/crm';
import type { Db } from '../db/open';
import { UserError } from '../errors';
import { idFactory } from '../ids';
import { toHistoryEntry, type EventRow, type Ledger } from '../ledger/ledger';
import type { Points } from '../points/points';
import { erasePerson, mergePeople } from './merge';
import { badEmail, badPhone, cleanTags, nameKey, normBirthday, normEmail, normPhone } from './normalize';
import type { CrmEventType, PersonInput, PersonRow } from './person';
import { searchPeople, type SearchOptions } from './search';

/**
 * Members and the people in their circles, in one table (a contact is a
 * person whose member_since is null). Figures (visits, spend, last visit) are
 * kept from the ledger's events attached to the person (events.member) and
 * can be recomputed from them at any time; points come from the holder ids.
 */

export type { CrmEventType, PersonInput, PersonRow } from './person';

export class People {
  readonly nextId = idFactory();
  private readonly s;

  constructor(
    readonly db: Db,
    private readonly points: Points,
    private readonly device: () => string,
    private readonly ledger: Ledger,
  ) {
    this.s = {
      byId: db.prepare<[string], PersonRow>('SELECT * FROM crm_people WHERE id = ?'),
      insert: db.prepare(`INSERT INTO crm_people (id, name, name_key, phone, phone_norm, email, email_norm, handles, birthday, tags, notes,
          consent, consent_at, consent_how, member_since, created_at, updated_at)
        VALUES (@id, @name, @name_key, @phone, @phone_norm, @email, @email_norm, @handles, @birthday, @tags, @notes,
          @consent, @consent_at, @consent_how, @member_since, @created_at, @updated_at)`),
      log: db.prepare('INSERT INTO crm_events (id, type, person, other, jti, event, at, device, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      holdersOf: db.prepare<[string], { holder: string }>('SELECT holder FROM crm_holders WHERE person = ? ORDER BY holder'),
      holder: db.prepare<[string], { person: string }>('SELECT person FROM crm_holders WHERE holder = ?'),
      addHolder: db.prepare('INSERT INTO crm_holders (holder, person) VALUES (?, ?) ON CONFLICT(holder) DO NOTHING'),
      pointsOf: db.prepare<[string], { p: number }>('SELECT points AS p FROM holder_points WHERE holder = ?'),
      mergedFrom: db.prepare<[string], { id: string }>('SELECT id FROM crm_people WHERE merged_into = ?'),
      byPhone: db.prepare<[string], PersonRow>('SELECT * FROM crm_people WHERE phone_norm = ? AND merged_into IS NULL AND erased_at IS NULL'),
      // The trigram index narrows to numbers holding the four digits; the suffix test keeps those ending with them.
      byLast4: db.prepare<[string, string], PersonRow>(
        `SELECT p.* FROM crm_people p WHERE p.rowid IN (SELECT rowid FROM crm_search WHERE crm_search MATCH ?)
           AND substr(p.phone_norm, -4) = ? AND p.merged_into IS NULL AND p.erased_at IS NULL ORDER BY p.name_key, p.id LIMIT 50`,
      ),
      byEmail: db.prepare<[string], PersonRow>('SELECT * FROM crm_people WHERE email_norm = ? AND merged_into IS NULL AND erased_at IS NULL'),
      links: db.prepare<[string, string], { id: string; a: string; b: string; kind: LinkKind }>(
        'SELECT id, a, b, kind FROM crm_links WHERE a = ? UNION ALL SELECT id, a, b, kind FROM crm_links WHERE b = ? ORDER BY id',
      ),
      addLink: db.prepare('INSERT INTO crm_links (id, a, b, kind, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(a, b, kind) DO NOTHING'),
    };
  }

  // ------------------------------------------------------------ log

  log(type: CrmEventType, at: number, f: { person?: string | null; other?: string | null; jti?: string | null; event?: string | null; data?: unknown } = {}): void {
    this.s.log.run(this.nextId(at), type, f.person ?? null, f.other ?? null, f.jti ?? null, f.event ?? null, at, this.device(), f.data === undefined ? null : JSON.stringify(f.data));
  }

  events(limit: number): CrmEventView[] {
    return this.db.prepare<[number], CrmEventView>('SELECT id, type, person, other, jti, event, at FROM crm_events ORDER BY seq DESC LIMIT ?').all(limit);
  }

  // ------------------------------------------------------------ reading

  row(id: string): PersonRow | null {
    return this.s.byId.get(id) ?? null;
  }

  /** The live person: follows merges; null when unknown. */
  resolve(id: string): PersonRow | null {
    let r = this.row(id);
    for (let i = 0; r?.merged_into && i < 20; i++) r = this.row(r.merged_into);
    return r;
  }

  need(id: string): PersonRow {
    const r = this.resolve(id);
    if (!r || r.erased_at) throw new UserError('crm.unknownMember', 'There is no such member.', { id });
    return r;
  }

  /** The person with this voucher holder id, if any (their own id is a holder id). */
  byHolder(holder: string): PersonRow | null {
    const own = this.resolve(holder);
    if (own && !own.erased_at) return own;
    const h = this.s.holder.get(holder);
    return h ? this.resolve(h.person) : null;
  }

  holders(id: string): string[] {
    return [id, ...this.s.holdersOf.all(id).map((h) => h.holder)];
  }

  /** Every id whose history belongs to this person: itself and the people merged into it. */
  historyIds(id: string): string[] {
    const out = [id];
    for (let i = 0; i < out.length && i < 1000; i++) for (const m of this.s.mergedFrom.all(out[i]!)) out.push(m.id);
    return out;
  }

  pointsOf(id: string): number {
    let p = 0;
    for (const h of this.holders(id)) p += this.s.pointsOf.get(h)?.p ?? 0;
    return p;
  }

  toRow(r: PersonRow): MemberRow {
    const points = this.pointsOf(r.id);
    return {
      id: r.id,
      name: r.name,
      phone: r.phone,
      tags: JSON.parse(r.tags) as string[],
      points,
      level: this.points.levelOf(points).level,
      visits: r.visits,
      spend: r.spend,
      lastVisit: r.last_visit,
      memberSince: r.member_since,
    };
  }

  toView(r: PersonRow): MemberView {
    const points = this.pointsOf(r.id);
    return {
      id: r.id,
      name: r.name,
      phone: r.phone,
      email: r.email,
      handles: JSON.parse(r.handles) as Record<string, string>,
      birthday: r.birthday,
      tags: JSON.parse(r.tags) as string[],
      notes: r.notes,
      consent: { given: r.consent === 1, at: r.consent_at, how: r.consent_how },
      memberSince: r.member_since,
      holders: this.holders(r.id),
      erased: r.erased_at !== null,
      visits: r.visits,
      spend: r.spend,
      lastVisit: r.last_visit,
      points,
      level: this.points.levelOf(points).level,
    };
  }

  // ------------------------------------------------------------ duplicates

  duplicates(phone: string | null | undefined, email: string | null | undefined, except?: string): PersonRow[] {
    const out = new Map<string, PersonRow>();
    const p = normPhone(phone);
    const e = normEmail(email);
    if (p) for (const r of this.s.byPhone.all(p)) out.set(r.id, r);
    if (e) for (const r of this.s.byEmail.all(e)) out.set(r.id, r);
    if (except) out.delete(except);
    return [...out.values()];
  }

  /**
   * The people with this phone number, sorted by name: all of them when several
   * share it (the counter lets the cashier pick). The last four digits alone
   * ("5678") find every number ending so.
   */
  lookupPhone(phone: string): PersonRow[] {
    const last4 = phone.trim().replace(/[\s-]/g, '');
    if (/^\d{4}$/.test(last4)) return this.s.byLast4.all(`"${last4}"`, last4);
    const p = normPhone(phone);
    if (!p) throw new UserError('crm.badPhone', 'That is not a phone number.', { phone: phone.slice(0, 40) });
    return this.s.byPhone.all(p).sort((a, b) => (a.name_key < b.name_key ? -1 : a.name_key > b.name_key ? 1 : 0));
  }

  // ------------------------------------------------------------ writing

  /** Checks a person's fields; throws the first problem as a UserError. */
  checkFields(p: Partial<PersonInput>): void {
    if (p.name !== undefined && p.name.trim() === '') throw new UserError('crm.nameRequired', 'A name is required.');
    if (badPhone(p.phone)) throw new UserError('crm.badPhone', 'That is not a phone number.', { phone: String(p.phone).slice(0, 40) });
    if (badEmail(p.email)) throw new UserError('crm.badEmail', 'That is not an e-mail address.', { email: String(p.email).slice(0, 60) });
    if (p.birthday && !normBirthday(p.birthday)) throw new UserError('crm.badBirthday', 'A birthday is written YYYY-MM-DD (or --MM-DD without the year).');
  }

  /** Inserts a person; call inside a transaction. */
  insert(p: PersonInput, opts: { member: boolean; at: number; id?: string; memberSince?: number | null }): PersonRow {
    this.checkFields(p);
    const id = opts.id ?? this.nextId(opts.at);
    const name = p.name.trim();
    this.s.insert.run({
      id,
      name,
      name_key: nameKey(name),
      phone: p.phone?.trim() || null,
      phone_norm: normPhone(p.phone),
      email: p.email?.trim() || null,
      email_norm: normEmail(p.email),
      handles: JSON.stringify(p.handles ?? {}),
      birthday: normBirthday(p.birthday),
      tags: JSON.stringify(cleanTags(p.tags ?? [])),
      notes: p.notes ?? '',
      consent: p.consent?.given ? 1 : 0,
      consent_at: p.consent ? (p.consent.at ?? opts.at) : null,
      consent_how: p.consent?.how ?? '',
      member_since: opts.member ? (opts.memberSince ?? opts.at) : null,
      created_at: opts.at,
      updated_at: opts.at,
    });
    for (const h of p.holders ?? []) this.addHolder(h, id);
    this.log('member.added', opts.at, { person: id, data: { member: opts.member } });
    return this.row(id)!;
  }

  addHolder(holder: string, person: string): void {
    const taken = this.s.holder.get(holder);
    if (taken && taken.person !== person) throw new UserError('crm.holderTaken', 'That holder id already belongs to another member.', { holder });
    if (this.row(holder) && holder !== person) throw new UserError('crm.holderTaken', 'That holder id already belongs to another member.', { holder });
    this.s.addHolder.run(holder, person);
  }

  update(id: string, p: Partial<PersonInput> & { member?: boolean | undefined }, at: number): PersonRow {
    const r = this.need(id);
    this.checkFields(p);
    const sets: string[] = [];
    const v: Record<string, unknown> = { id: r.id, at };
    const set = (col: string, val: unknown) => {
      sets.push(`${col} = @${col}`);
      v[col] = val;
    };
    if (p.name !== undefined) {
      set('name', p.name.trim());
      set('name_key', nameKey(p.name));
    }
    if (p.phone !== undefined) {
      set('phone', p.phone?.trim() || null);
      set('phone_norm', normPhone(p.phone));
    }
    if (p.email !== undefined) {
      set('email', p.email?.trim() || null);
      set('email_norm', normEmail(p.email));
    }
    if (p.handles !== undefined) set('handles', JSON.stringify(p.handles));
    if (p.birthday !== undefined) set('birthday', normBirthday(p.birthday));
    if (p.tags !== undefined) set('tags', JSON.stringify(cleanTags(p.tags)));
    if (p.notes !== undefined) set('notes', p.notes);
    if (p.consent !== undefined) {
      set('consent', p.consent.given ? 1 : 0);
      set('consent_at', p.consent.at ?? at);
      set('consent_how', p.consent.how);
    }
    if (p.member === true && r.member_since === null) set('member_since', at);
    if (p.member === false) set('member_since', null);
    this.db.transaction(() => {
      if (sets.length) this.db.prepare(`UPDATE crm_people SET ${sets.join(', ')}, updated_at = @at WHERE id = @id`).run(v);
      for (const h of p.holders ?? []) this.addHolder(h, r.id);
      this.log('member.updated', at, { person: r.id, data: { fields: Object.keys(p) } });
    })();
    return this.row(r.id)!;
  }

  /** Makes a contact a member (a referee who redeemed); call inside a transaction. */
  makeMember(id: string, at: number): void {
    this.db.prepare('UPDATE crm_people SET member_since = ?, updated_at = ? WHERE id = ? AND member_since IS NULL').run(at, at, id);
  }

  /** Merges `mergeId` into `keepId`: links, holders and referral vouchers move; both ledger histories stay, under the kept member. */
  merge(keepId: string, mergeId: string, at: number): PersonRow {
    return mergePeople(this, keepId, mergeId, at);
  }

  /** Erasure on request (see erasePerson). */
  erase(id: string, at: number): void {
    erasePerson(this, id, at);
  }

  // ------------------------------------------------------------ links

  linkAdd(from: string, to: string, kind: LinkKind, at: number): string | null {
    const a = this.need(from);
    const b = this.need(to);
    if (a.id === b.id) throw new UserError('crm.linkSelf', 'A person cannot be linked to themself.');
    const id = this.nextId(at);
    const n = this.s.addLink.run(id, a.id, b.id, kind, at).changes;
    if (n === 0) return null;
    this.log('link.added', at, { person: a.id, other: b.id, data: { kind } });
    return id;
  }

  linkRemove(linkId: string, at: number): void {
    const l = this.db.prepare<[string], { a: string; b: string; kind: string }>('SELECT a, b, kind FROM crm_links WHERE id = ?').get(linkId);
    if (!l) throw new UserError('crm.unknownLink', 'There is no such relationship.');
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM crm_links WHERE id = ?').run(linkId);
      this.log('link.removed', at, { person: l.a, other: l.b, data: { kind: l.kind } });
    })();
  }

  links(id: string): { id: string; a: string; b: string; kind: LinkKind }[] {
    return this.s.links.all(id, id);
  }

  circle(id: string, welcomeOf: (personId: string) => CircleEntry['welcome']): CircleEntry[] {
    const out: CircleEntry[] = [];
    for (const l of this.links(id)) {
      const otherId = l.a === id ? l.b : l.a;
      const o = this.row(otherId);
      if (!o || o.erased_at) continue;
      out.push({ linkId: l.id, kind: l.kind, direction: l.a === id ? 'out' : 'in', other: this.toRow(o), welcome: welcomeOf(o.id) });
    }
    return out;
  }

  // ------------------------------------------------------------ ledger figures

  /** Attaches a redemption to a person; false when it already belongs to someone. Call inside a transaction. */
  attachEvent(eventId: string, personId: string, at: number): boolean {
    // With CRM sync on, the member id travels with the event (docs/spec/sync-protocol.md `member`) when it has not gone up yet.
    if (!this.ledger.attachMember(eventId, personId, this.syncOn())) return false;
    this.log('redemption.attached', at, { person: personId, event: eventId });
    return true;
  }

  syncOn: () => boolean = () => false;

  attach(eventId: string, memberId: string, at: number): void {
    const m = this.need(memberId);
    const e = this.ledger.event(eventId);
    if (!e || e.type !== 'redemption') throw new UserError('ledger.unknownEvent', 'There is no such redemption.', { id: eventId });
    if (e.member && this.resolve(e.member)?.id === m.id) return;
    if (e.member) throw new UserError('crm.alreadyAttached', 'This redemption already belongs to another member.');
    this.db.transaction(() => {
      this.attachEvent(eventId, m.id, at);
      this.recompute(m.id);
    })();
  }

  /** Visits (days with a redemption), spend and last visit, from the ledger. */
  figures(ids: string[], beforeSeq = Number.MAX_SAFE_INTEGER): { visits: number; spend: number; last: number | null } {
    const r = this.db
      .prepare<[string, number], { visits: number; spend: number; last: number | null }>(
        `SELECT count(DISTINCT date(e.at / 1000, 'unixepoch', 'localtime')) AS visits,
                coalesce(sum(CASE WHEN e.kind = 'value' THEN e.amount ELSE coalesce(e.units * pr.price, 0) END), 0) AS spend,
                max(e.at) AS last
           FROM events e LEFT JOIN products pr ON pr.sku = e.sku
          WHERE e.member IN (SELECT value FROM json_each(?)) AND e.type = 'redemption' AND e.seq < ?
            AND NOT EXISTS (SELECT 1 FROM events r WHERE r.reverses = e.id)`,
      )
      .get(JSON.stringify(ids), beforeSeq)!;
    return r;
  }

  recompute(id: string): void {
    const f = this.figures(this.historyIds(id));
    this.db.prepare('UPDATE crm_people SET visits = ?, spend = ?, last_visit = ? WHERE id = ?').run(f.visits, f.spend, f.last, id);
  }

  history(id: string, limit = 200): MemberDetail['history'] {
    const rows = this.db
      .prepare<[string, number], EventRow & { reversed_by: string | null }>(
        `SELECT e.*, (SELECT r.id FROM events r WHERE r.reverses = e.id) AS reversed_by FROM events e
          WHERE e.member IN (SELECT value FROM json_each(?)) ORDER BY e.seq DESC LIMIT ?`,
      )
      .all(JSON.stringify(this.historyIds(id)), limit);
    return rows.map((e) => ({ ...toHistoryEntry(e, null), member: e.member }));
  }

  // ------------------------------------------------------------ the counter

  counter: { id: string; at: number } | null = null;

  // ------------------------------------------------------------ search

  search(o: SearchOptions): { rows: MemberRow[]; more: boolean } {
    return searchPeople(this, this.points, o);
  }
}
