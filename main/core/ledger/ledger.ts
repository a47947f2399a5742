import { idFactory } from '../ids';
import type { HistoryEntry, RedemptionRef, Remaining } from '../../../preload/contract';
import type { Db } from '../db/open';
import { UserError } from '../errors';
import type { Logger } from '../log';
import type { VoucherTerms } from '../vouchers/claims';
import { wireEvent } from '../sync/wire';
import type { EventRow, NewRedemption, RemoteEvent, VoucherRow } from './rows';

export type { EventRow, NewRedemption, RemoteEvent, VoucherRow } from './rows';

/**
 * The append-only ledger. Every redemption and reversal is an event; the
 * `vouchers` table keeps what is used of each voucher, updated in the same
 * transaction, so "what is left" is one primary-key read, never a scan.
 *
 * The ledger is the only writer of `events` and `vouchers`: local redemptions
 * (appendRedemption), events from other workstations (appendRemote), and
 * reversals (reverse, which also undoes what the redemption did to campaign
 * stock and points). After each append is committed it tells its listeners
 * (onAppended): the sync uploads, the CRM follows, the page refreshes.
 */

/** What a reversal undoes besides the ledger's own rows, given at construction. */
export interface LedgerDeps {
  /** Gives campaign stock back (to the count, never to the allotment; `used` only for this workstation's own redemptions). */
  catalog: { releaseCampaign(id: string, units: number, reversal: { id: string; ofRemote: boolean }): void };
  /** Takes back the points a redemption credited. */
  points: { reverse(eventId: string, reversalId: string, at: number): unknown };
  log?: Logger;
}

export interface ReversalInput {
  at: number;
  device: string;
  branch: string | null;
  by: string;
  reason: string;
}

export type AppendedListener = (event: EventRow) => void;

export class Ledger {
  private readonly nextId = idFactory();
  private readonly stmts;
  private readonly listeners = new Set<AppendedListener>();
  /** Depth of exclusive() calls, and the events appended in the outermost one, told once it commits. */
  private depth = 0;
  private appended: EventRow[] = [];

  constructor(
    private readonly db: Db,
    private readonly deps: LedgerDeps,
  ) {
    this.stmts = {
      voucher: db.prepare<[string, string], VoucherRow>('SELECT * FROM vouchers WHERE iss = ? AND jti = ?'),
      lastRedemption: db.prepare<[string, string], EventRow>(
        `SELECT * FROM events e WHERE e.iss = ? AND e.jti = ? AND e.type = 'redemption'
           AND NOT EXISTS (SELECT 1 FROM events r WHERE r.reverses = e.id)
         ORDER BY e.seq DESC LIMIT 1`,
      ),
      insert: db.prepare(
        `INSERT INTO events (id, type, iss, jti, mid, sku, kind, branch, device, cashier, at, units, amount, cur, reverses, reason, by, member, offline, remote, extra, cmp, allot)
         VALUES (@id, @type, @iss, @jti, @mid, @sku, @kind, @branch, @device, @cashier, @at, @units, @amount, @cur, @reverses, @reason, @by, @member, @offline, @remote, @extra, @cmp, @allot)`,
      ),
      upsertVoucher: db.prepare(
        `INSERT INTO vouchers (iss, jti, kind, face, cur, max_uses, used, uses, last_event)
         VALUES (@iss, @jti, @kind, @face, @cur, @max_uses, @take, 1, @id)
         ON CONFLICT(iss, jti) DO UPDATE SET face = MAX(face, @face), used = used + @take, uses = uses + 1, last_event = @id`,
      ),
      // A remote redemption's voucher may be unknown here (the face is then what
      // was taken) or already used up (a conflict): face grows with `used` so the
      // totals stay truthful; what is left here is computed from the voucher's own face.
      useRemote: db.prepare(
        `INSERT INTO vouchers (iss, jti, kind, face, cur, max_uses, used, uses, last_event)
         VALUES (@iss, @jti, @kind, @take, @cur, NULL, @take, 1, @id)
         ON CONFLICT(iss, jti) DO UPDATE SET face = MAX(face, used + @take), used = used + @take, uses = uses + 1, last_event = @id`,
      ),
      // Every local event goes to the sync outbox in its own transaction (docs/spec/sync-protocol.md).
      outbox: db.prepare('INSERT INTO sync_outbox (id, body, status, sent_at, via) VALUES (?, ?, ?, ?, ?)'),
      unuse: db.prepare('UPDATE vouchers SET used = used - ?, uses = uses - 1 WHERE iss = ? AND jti = ?'),
      unuseRemote: db.prepare('UPDATE vouchers SET used = MAX(0, used - ?), uses = MAX(0, uses - 1) WHERE iss = ? AND jti = ?'),
      event: db.prepare<[string], EventRow>('SELECT * FROM events WHERE id = ?'),
      reversalOf: db.prepare<[string], { id: string }>('SELECT id FROM events WHERE reverses = ?'),
      attach: db.prepare("UPDATE events SET member = ? WHERE id = ? AND type = 'redemption' AND member IS NULL"),
      attachOutbox: db.prepare("UPDATE sync_outbox SET body = json_set(body, '$.member', ?) WHERE id = ? AND status IS NULL AND sent_at IS NULL"),
      history: db.prepare<[number, number], EventRow & { reversed_by: string | null }>(
        `SELECT e.*, (SELECT r.id FROM events r WHERE r.reverses = e.id) AS reversed_by
           FROM events e WHERE e.seq < ? ORDER BY e.seq DESC LIMIT ?`,
      ),
    };
  }

  /** Calls `listener` after every committed append (local, remote, reversal); returns the unsubscribe. */
  onAppended(listener: AppendedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs fn in one write transaction that holds the database lock from its
   * first read. Nested calls are savepoints; the listeners hear of the events
   * appended once the outermost one has committed, and never of a rolled-back one.
   */
  exclusive<T>(fn: () => T): T {
    const outermost = this.depth === 0;
    if (outermost && this.db.inTransaction) throw new Error('The ledger appends in its own transaction, not inside another one');
    const mark = this.appended.length;
    this.depth++;
    let result: T;
    try {
      result = this.db.transaction(fn).immediate();
    } catch (e) {
      this.appended.length = mark;
      throw e;
    } finally {
      this.depth--;
    }
    if (outermost) this.announce();
    return result;
  }

  private announce(): void {
    const events = this.appended;
    this.appended = [];
    for (const e of events) {
      for (const l of this.listeners) {
        try {
          l(e);
        } catch (err) {
          // A listener's failure is its own: the event is committed.
          this.deps.log?.error('ledger listener failed', { error: err instanceof Error ? err.name : typeof err });
        }
      }
    }
  }

  voucher(iss: string, jti: string): VoucherRow | null {
    return this.stmts.voucher.get(iss, jti) ?? null;
  }

  event(id: string): EventRow | null {
    return this.stmts.event.get(id) ?? null;
  }

  /** Whether an event has been undone (a reversal names it). */
  isReversed(eventId: string): boolean {
    return this.stmts.reversalOf.get(eventId) !== undefined;
  }

  remaining(terms: VoucherTerms): Remaining {
    const row = this.voucher(terms.iss, terms.jti);
    const used = row?.used ?? 0;
    const uses = row?.uses ?? 0;
    return {
      left: Math.max(0, terms.face - used),
      face: terms.face,
      usesLeft: terms.maxUses === null ? null : Math.max(0, terms.maxUses - uses),
    };
  }

  lastRedemption(iss: string, jti: string): RedemptionRef | null {
    const e = this.stmts.lastRedemption.get(iss, jti);
    return e ? { eventId: e.id, at: e.at, branch: e.branch, device: e.device, cashier: e.cashier } : null;
  }

  /** Appends a redemption; call inside exclusive() after checking what is left. */
  appendRedemption(r: NewRedemption): EventRow {
    return this.exclusive(() => {
      const id = r.id ?? this.nextId(r.at);
      const row = {
        id,
        type: 'redemption' as const,
        iss: r.terms.iss,
        jti: r.terms.jti,
        mid: r.mid,
        sku: r.sku,
        kind: r.terms.kind,
        branch: r.branch,
        device: r.device,
        cashier: r.cashier,
        at: r.at,
        units: r.terms.kind === 'value' ? null : r.take,
        amount: r.terms.kind === 'value' ? r.take : null,
        cur: r.terms.cur,
        reverses: null,
        reason: null,
        by: null,
        member: null,
        offline: r.offline === false ? 0 : 1,
        remote: 0,
        extra: r.extra && Object.keys(r.extra).length ? JSON.stringify(r.extra) : null,
        cmp: r.cmp ?? null,
        allot: r.allot && r.allot > 0 ? r.allot : null,
      };
      this.stmts.insert.run(row);
      this.stmts.upsertVoucher.run({
        iss: r.terms.iss,
        jti: r.terms.jti,
        kind: r.terms.kind,
        face: r.terms.face,
        cur: r.terms.cur,
        max_uses: r.terms.maxUses,
        take: r.take,
        id,
      });
      const up = r.uploaded ?? null;
      this.stmts.outbox.run(id, JSON.stringify(wireEvent(row)), up, up ? r.at : null, up ? 'online-first' : null);
      return this.appendedNow(id);
    });
  }

  /**
   * Appends an event made on another workstation. Applying the same event
   * twice changes nothing; a reversal of something unknown here, or already
   * reversed, changes nothing here. Returns the new row, or null when nothing changed.
   * With `own`, it is this workstation's own event coming back from the
   * platform after its data was lost (sync/rebuild.ts): kept as local, and in
   * the outbox already answered.
   */
  appendRemote(e: RemoteEvent, own?: { body: string; status: string }): EventRow | null {
    return this.exclusive(() => {
      if (this.stmts.event.get(e.id)) return null; // ours, or applied before
      let iss = e.iss;
      let jti = e.jti;
      let reverses: string | null = null;
      if (e.type === 'reversal') {
        reverses = e.reverses ?? null;
        const orig = reverses ? this.stmts.event.get(reverses) : undefined;
        if (!orig || this.stmts.reversalOf.get(orig.id)) return null;
        iss = orig.iss;
        jti = orig.jti;
      }
      if (!iss || !jti) return null;
      const kind = e.amount !== null ? 'value' : 'item';
      this.stmts.insert.run({
        id: e.id,
        type: e.type,
        iss,
        jti,
        mid: e.mid,
        sku: null,
        kind,
        branch: e.branch,
        device: e.device ?? '?',
        cashier: e.cashier,
        at: e.at,
        units: e.units,
        amount: e.amount,
        cur: e.cur,
        reverses,
        reason: e.reason ?? null,
        by: e.by ?? null,
        member: e.member,
        offline: e.offline ? 1 : 0,
        remote: own ? 0 : 1,
        extra: null,
        cmp: e.type === 'redemption' ? (e.cmp ?? null) : null,
        allot: e.type === 'redemption' && e.allot ? e.allot : null,
      });
      // One of this workstation's own events brought back from the platform (sync/rebuild.ts): already answered there.
      if (own) this.stmts.outbox.run(e.id, own.body, own.status, e.at, 'rebuild');
      const take = e.units ?? e.amount ?? 0;
      if (e.type === 'redemption') this.stmts.useRemote.run({ iss, jti, kind, take, cur: e.cur, id: e.id });
      else this.stmts.unuseRemote.run(take, iss, jti);
      return this.appendedNow(e.id);
    });
  }

  /**
   * Undoes a redemption with a new event; the original stays as it was. In
   * the same transaction: what the voucher has used, the campaign stock the
   * redemption took, and the points it credited.
   */
  reverse(eventId: string, opts: ReversalInput): EventRow {
    return this.exclusive(() => {
      const orig = this.stmts.event.get(eventId);
      if (!orig) throw new UserError('ledger.unknownEvent', 'There is no such redemption.', { id: eventId });
      if (orig.type !== 'redemption') throw new UserError('ledger.notARedemption', 'Only a redemption can be undone.');
      if (this.stmts.reversalOf.get(eventId)) throw new UserError('ledger.alreadyReversed', 'This redemption was already undone.');
      const id = this.nextId(opts.at);
      this.stmts.insert.run({
        id,
        type: 'reversal',
        iss: orig.iss,
        jti: orig.jti,
        mid: orig.mid,
        sku: orig.sku,
        kind: orig.kind,
        branch: opts.branch,
        device: opts.device,
        cashier: opts.by,
        at: opts.at,
        units: orig.units,
        amount: orig.amount,
        cur: orig.cur,
        reverses: orig.id,
        reason: opts.reason,
        by: opts.by,
        member: orig.member,
        offline: 1,
        remote: 0,
        extra: null,
        cmp: orig.cmp,
        allot: null,
      });
      this.stmts.unuse.run(orig.units ?? orig.amount ?? 0, orig.iss, orig.jti);
      if (orig.cmp) this.deps.catalog.releaseCampaign(orig.cmp, orig.kind === 'value' ? 1 : (orig.units ?? 0), { id, ofRemote: orig.remote === 1 });
      this.deps.points.reverse(orig.id, id, opts.at);
      const e = this.stmts.event.get(id)!;
      this.stmts.outbox.run(id, JSON.stringify(wireEvent({ ...e, reverses: orig.id })), null, null, null);
      this.appended.push(e);
      return e;
    });
  }

  /**
   * Attaches a redemption to a member; false when it already belongs to
   * someone. With `upload`, the member id also goes up with the event when it
   * has not gone up yet (docs/spec/sync-protocol.md `member`).
   */
  attachMember(eventId: string, memberId: string, upload: boolean): boolean {
    if (this.stmts.attach.run(memberId, eventId).changes === 0) return false;
    if (upload) this.stmts.attachOutbox.run(memberId, eventId);
    return true;
  }

  history(limit: number, beforeSeq = Number.MAX_SAFE_INTEGER): (EventRow & { reversed_by: string | null })[] {
    return this.stmts.history.all(beforeSeq, limit);
  }

  private appendedNow(id: string): EventRow {
    const e = this.stmts.event.get(id)!;
    this.appended.push(e);
    return e;
  }
}

export function toHistoryEntry(e: EventRow & { reversed_by?: string | null }, product: string | null): HistoryEntry {
  return {
    id: e.id,
    type: e.type,
    at: e.at,
    iss: e.iss,
    jti: e.jti,
    sku: e.sku,
    product,
    kind: e.kind,
    units: e.units,
    amount: e.amount,
    cur: e.cur,
    branch: e.branch,
    device: e.device,
    cashier: e.cashier,
    reverses: e.reverses,
    reversedBy: e.reversed_by ?? null,
    reason: e.reason,
  };
}
