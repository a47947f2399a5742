/**
 * The outbox: every local event waits here until the server has answered it
 * (docs/spec/sync-protocol.md "POST /v1/events"). The ledger adds the rows in
 * its own transactions; this marks the answers, from an upload or a receipt file.
 */
import type { RejectedView } from '../../../preload/contract';
import { uploadAnswer, uploadResult, type FirstRef, type UploadStatus } from '../../../common/protocol/sync';
import type { Db } from '../db/open';
import type { Conflicts } from './conflicts';
import { SyncError } from './http';
import type { WireEvent } from './wire';

/** One answer as the workstation uses it: a conflict always names its first event. */
export interface OutboxAnswer {
  id: string;
  status: UploadStatus;
  first?: FirstRef;
  reason?: string;
  /** Protocol 2: units of this stored redemption beyond its campaign's stock. */
  oversell?: number;
}

/** Where oversells reported in answers are kept, once per event (catalog/stock.ts). */
export interface OversellRecord {
  recordOversell(eventId: string, units: number, now: number): void;
}

/**
 * Checks an upload answer against the ids sent, in order; anything else is a
 * bad response (and nothing is marked). A retry of a conflict may be answered
 * 'duplicate' with `was: 'conflict'` and the first answer's fields: it is
 * still a conflict here.
 */
export function parseResults(body: unknown, ids: string[]): OutboxAnswer[] {
  const page = uploadAnswer.safeParse(body);
  if (!page.success || page.data.results.length !== ids.length) throw new SyncError('badResponse');
  return page.data.results.map((raw, i) => {
    const parsed = uploadResult.safeParse(raw);
    if (!parsed.success || parsed.data.id !== ids[i]) throw new SyncError('badResponse');
    const r = parsed.data;
    if (r.status === 'duplicate' && r.was === 'conflict' && r.first) return { id: r.id, status: 'conflict', first: r.first };
    if (r.status === 'stored' || r.status === 'duplicate') return { id: r.id, status: r.status, ...(r.oversell ? { oversell: r.oversell } : {}) };
    if (r.status === 'conflict') {
      if (!r.first) throw new SyncError('badResponse');
      return { id: r.id, status: r.status, first: r.first };
    }
    return { id: r.id, status: 'rejected', reason: r.reason ?? '' };
  });
}

export class Outbox {
  private readonly s;

  constructor(
    private readonly db: Db,
    private readonly conflicts: Conflicts,
    private readonly oversells: OversellRecord | null = null,
  ) {
    this.s = {
      waiting: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sync_outbox WHERE status IS NULL'),
      nextBatch: db.prepare<[number], { id: string; body: string }>('SELECT id, body FROM sync_outbox WHERE status IS NULL ORDER BY seq LIMIT ?'),
      mark: db.prepare(
        `UPDATE sync_outbox SET status = @status, reason = @reason, first = @first, sent_at = @at, via = @via
          WHERE id = @id AND (status IS NULL OR status != @status)`,
      ),
      insert: db.prepare('INSERT OR IGNORE INTO sync_outbox (id, body, status, reason, first, sent_at, via) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      rejectedCount: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sync_outbox WHERE status = 'rejected'"),
      rejected: db.prepare<[], { id: string; body: string; reason: string | null }>("SELECT id, body, reason FROM sync_outbox WHERE status = 'rejected' ORDER BY seq"),
    };
  }

  waiting(): number {
    return this.s.waiting.get()!.n;
  }

  nextBatch(size: number): { id: string; body: string }[] {
    return this.s.nextBatch.all(size);
  }

  /** Marks answers (from an upload or a receipt file) in one transaction. */
  applyResults(results: OutboxAnswer[], via: string): void {
    const now = Date.now();
    this.db.transaction(() => {
      for (const r of results) {
        this.s.mark.run({ id: r.id, status: r.status, reason: r.reason ?? null, first: r.first ? JSON.stringify(r.first) : null, at: now, via });
        if (r.status === 'conflict' && r.first) this.conflicts.record(r.id, r.first, 'upload', now);
        if (r.oversell) this.oversells?.recordOversell(r.id, r.oversell, now);
      }
    })();
  }

  /** The server says (in the changes feed) that one of our events lost a conflict; call inside a transaction. */
  markConflict(id: string, first: FirstRef, now: number): void {
    this.s.mark.run({ id, status: 'conflict', reason: null, first: JSON.stringify(first), at: now, via: 'changes' });
  }

  /**
   * The server stored our would-be event as a conflict and the counter refuses
   * the voucher: the platform now holds that event, so it is kept here too (in
   * the outbox, answered 'conflict', and in the Conflicts list) but not in the
   * ledger, since nothing was handed over. The owner settles it like any conflict.
   */
  refusedAfterConflict(w: WireEvent, first: FirstRef): void {
    const now = Date.now();
    this.db.transaction(() => {
      this.s.insert.run(w.id, JSON.stringify(w), 'conflict', 'refused at the counter', JSON.stringify(first), now, 'online-first');
      this.conflicts.recordRefused(w, first, now);
    })();
  }

  /** An event that is in no ledger here (a withdrawal of one the server stored), waiting to go up. */
  add(w: WireEvent): void {
    this.s.insert.run(w.id, JSON.stringify(w), null, null, null, null, null);
  }

  rejectedCount(): number {
    return this.s.rejectedCount.get()!.n;
  }

  rejected(): RejectedView[] {
    return this.s.rejected.all().map((r) => {
      const w = JSON.parse(r.body) as WireEvent;
      return { eventId: r.id, type: w.type, iss: w.iss ?? null, jti: w.jti ?? null, at: Date.parse(w.at) || null, reason: r.reason ?? '' };
    });
  }
}
