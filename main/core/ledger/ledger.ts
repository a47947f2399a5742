import { idFactory } from '../ids';
import type { HistoryEntry, RedemptionRef, Remaining, VoucherKind } from '../../../preload/contract';
import type { Db } from '../db/open';
import { UserError } from '../errors';
import type { VoucherTerms } from '../vouchers/claims';
import { wireEvent } from '../sync/wire';

/**
 * The append-only ledger. Every redemption and reversal is an event; the
 * `vouchers` table keeps what is used of each voucher, updated in the same
 * transaction, so "what is left" is one primary-key read, never a scan.
 */

export interface VoucherRow {
  iss: string;
  jti: string;
  kind: VoucherKind;
  face: number;
  cur: string | null;
  max_uses: number | null;
  used: number;
  uses: number;
  last_event: string | null;
}

export interface EventRow {
  seq: number;
  id: string;
  type: 'redemption' | 'reversal';
  iss: string | null;
  jti: string | null;
  mid: string | null;
  sku: string | null;
  kind: VoucherKind | null;
  branch: string | null;
  device: string;
  cashier: string | null;
  at: number;
  units: number | null;
  amount: number | null;
  cur: string | null;
  reverses: string | null;
  reason: string | null;
  by: string | null;
  member: string | null;
  offline: number;
  remote: number;
  extra: string | null;
  cmp: string | null;
}

export interface NewRedemption {
  terms: VoucherTerms;
  mid: string;
  sku: string | null;
  /** Units for item/gift, minor units for value. */
  take: number;
  at: number;
  device: string;
  branch: string | null;
  cashier: string | null;
  cmp?: string | null;
  extra?: Record<string, unknown>;
  /** Online-first: the id already sent to the server, and what it answered. */
  id?: string;
  offline?: boolean;
  /** The server's answer when it was asked first ('stored' | 'duplicate'); the outbox row is then not waiting. */
  uploaded?: 'stored' | 'duplicate' | null;
}

export class Ledger {
  private readonly nextId = idFactory();
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      voucher: db.prepare<[string, string], VoucherRow>('SELECT * FROM vouchers WHERE iss = ? AND jti = ?'),
      lastRedemption: db.prepare<[string, string], EventRow>(
        `SELECT * FROM events e WHERE e.iss = ? AND e.jti = ? AND e.type = 'redemption'
           AND NOT EXISTS (SELECT 1 FROM events r WHERE r.reverses = e.id)
         ORDER BY e.seq DESC LIMIT 1`,
      ),
      insert: db.prepare(
        `INSERT INTO events (id, type, iss, jti, mid, sku, kind, branch, device, cashier, at, units, amount, cur, reverses, reason, by, member, offline, remote, extra, cmp)
         VALUES (@id, @type, @iss, @jti, @mid, @sku, @kind, @branch, @device, @cashier, @at, @units, @amount, @cur, @reverses, @reason, @by, @member, @offline, @remote, @extra, @cmp)`,
      ),
      upsertVoucher: db.prepare(
        `INSERT INTO vouchers (iss, jti, kind, face, cur, max_uses, used, uses, last_event)
         VALUES (@iss, @jti, @kind, @face, @cur, @max_uses, @take, 1, @id)
         ON CONFLICT(iss, jti) DO UPDATE SET face = MAX(face, @face), used = used + @take, uses = uses + 1, last_event = @id`,
      ),
      // Every local event goes to the sync outbox in its own transaction (docs/spec/sync-protocol.md).
      outbox: db.prepare('INSERT INTO sync_outbox (id, body, status, sent_at, via) VALUES (?, ?, ?, ?, ?)'),
      unuse: db.prepare('UPDATE vouchers SET used = used - ?, uses = uses - 1 WHERE iss = ? AND jti = ?'),
      event: db.prepare<[string], EventRow>('SELECT * FROM events WHERE id = ?'),
      reversalOf: db.prepare<[string], { id: string }>('SELECT id FROM events WHERE reverses = ?'),
      history: db.prepare<[number, number], EventRow & { reversed_by: string | null }>(
        `SELECT e.*, (SELECT r.id FROM events r WHERE r.reverses = e.id) AS reversed_by
           FROM events e WHERE e.seq < ? ORDER BY e.seq DESC LIMIT ?`,
      ),
    };
  }

  /** Runs fn in one write transaction that holds the database lock from its first read. */
  exclusive<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  voucher(iss: string, jti: string): VoucherRow | null {
    return this.stmts.voucher.get(iss, jti) ?? null;
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
    return this.stmts.event.get(id)!;
  }

  /**
   * Undoes a redemption with a new event; the original stays as it was.
   * `alsoUndo` runs in the same transaction (campaign stock, points).
   */
  reverse(
    eventId: string,
    opts: { at: number; device: string; branch: string | null; by: string; reason: string },
    alsoUndo: (original: EventRow, reversalId: string) => void = () => {},
  ): EventRow {
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
      });
      this.stmts.unuse.run(orig.units ?? orig.amount ?? 0, orig.iss, orig.jti);
      alsoUndo(orig, id);
      const e = this.stmts.event.get(id)!;
      this.stmts.outbox.run(id, JSON.stringify(wireEvent({ ...e, reverses: orig.id })), null, null, null);
      return e;
    });
  }

  history(limit: number, beforeSeq = Number.MAX_SAFE_INTEGER): (EventRow & { reversed_by: string | null })[] {
    return this.stmts.history.all(beforeSeq, limit);
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
