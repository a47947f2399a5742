/**
 * Conflicts (docs/spec/sync-protocol.md): a voucher used at two places while
 * they were offline. The server decides which came first; the workstation
 * keeps the losing event with the first one until the owner settles it.
 */
import type { ConflictView, SyncEventRef } from '../../../preload/contract';
import type { Db } from '../db/open';
import { UserError } from '../errors';
import type { Ledger } from '../ledger/ledger';
import { wireEvent, type WireEvent } from './wire';

/** What a conflict change said about the losing event, when the event is not known here. */
export interface ToldEvent {
  iss?: string | null | undefined;
  jti?: string | null | undefined;
  at?: string | null | undefined;
  branch?: string | null | undefined;
  device?: string | null | undefined;
}

interface ConflictRow {
  event_id: string;
  iss: string | null;
  jti: string | null;
  event: string | null;
  first: string;
  origin: string;
  detected_at: number;
  settled_at: number | null;
  settled_by: string | null;
  note: string | null;
}

export class Conflicts {
  private readonly s;

  constructor(
    private readonly db: Db,
    private readonly ledger: Ledger,
  ) {
    this.s = {
      outboxBody: db.prepare<[string], { body: string }>('SELECT body FROM sync_outbox WHERE id = ?'),
      upsert: db.prepare(
        `INSERT INTO sync_conflicts (event_id, iss, jti, event, first, origin, detected_at) VALUES (@event_id, @iss, @jti, @event, @first, @origin, @at)
         ON CONFLICT(event_id) DO UPDATE SET first = excluded.first, event = COALESCE(sync_conflicts.event, excluded.event),
           iss = COALESCE(sync_conflicts.iss, excluded.iss), jti = COALESCE(sync_conflicts.jti, excluded.jti)`,
      ),
      open: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sync_conflicts WHERE settled_at IS NULL'),
      one: db.prepare<[string], ConflictRow>('SELECT * FROM sync_conflicts WHERE event_id = ?'),
      settle: db.prepare('UPDATE sync_conflicts SET settled_at = ?, settled_by = ?, note = ? WHERE event_id = ? AND settled_at IS NULL'),
    };
  }

  /** Records (or updates) the conflict of one event; call inside a transaction. */
  record(eventId: string, first: object, origin: string, now: number, told?: ToldEvent): void {
    const local = this.ledger.event(eventId);
    let body = local ? JSON.stringify(wireEvent(local)) : (this.s.outboxBody.get(eventId)?.body ?? null);
    // The reference server's conflict change also names the losing event's voucher, time, branch and device.
    if (!body && told) body = JSON.stringify({ id: eventId, iss: told.iss ?? null, jti: told.jti ?? null, at: told.at ?? null, branch: told.branch ?? null, device: told.device ?? null });
    const iss = local?.iss ?? told?.iss ?? null;
    const jti = local?.jti ?? told?.jti ?? null;
    this.s.upsert.run({ event_id: eventId, iss, jti, event: body, first: JSON.stringify(first), origin, at: now });
  }

  /** A would-be event the server stored as a conflict and the counter refused (it is in no ledger here). */
  recordRefused(w: WireEvent, first: object, now: number): void {
    this.s.upsert.run({ event_id: w.id, iss: w.iss, jti: w.jti, event: JSON.stringify(w), first: JSON.stringify(first), origin: 'online', at: now });
  }

  openCount(): number {
    return this.s.open.get()!.n;
  }

  list(includeSettled: boolean): ConflictView[] {
    return this.db
      .prepare<[], ConflictRow>(`SELECT * FROM sync_conflicts ${includeSettled ? '' : 'WHERE settled_at IS NULL'} ORDER BY detected_at DESC, event_id`)
      .all()
      .map(conflictView);
  }

  settle(eventId: string, note: string, by: string): ConflictView {
    const n = this.s.settle.run(Date.now(), by, note, eventId).changes;
    const row = this.s.one.get(eventId);
    if (!row) throw new UserError('sync.unknownConflict', 'There is no such conflict.', { id: eventId });
    if (n === 0) throw new UserError('sync.alreadySettled', 'This conflict was already settled.', { id: eventId });
    return conflictView(row);
  }
}

function refOf(w: Partial<WireEvent> | null | undefined): SyncEventRef | null {
  if (!w || typeof w.id !== 'string') return null;
  const at = typeof w.at === 'string' ? Date.parse(w.at) : null;
  return {
    id: w.id,
    branch: w.branch ?? null,
    device: w.device ?? null,
    at: at !== null && !Number.isNaN(at) ? at : null,
    units: w.units ?? null,
    amount: w.amount ?? null,
    cur: w.cur ?? null,
    cashier: w.cashier ?? null,
  };
}

function conflictView(r: ConflictRow): ConflictView {
  const ev = r.event ? (JSON.parse(r.event) as WireEvent) : null;
  return {
    eventId: r.event_id,
    iss: r.iss ?? ev?.iss ?? null,
    jti: r.jti ?? ev?.jti ?? null,
    event: refOf(ev),
    first: refOf(JSON.parse(r.first) as WireEvent)!,
    origin: r.origin,
    detectedAt: r.detected_at,
    settledAt: r.settled_at,
    settledBy: r.settled_by,
    note: r.note,
  };
}
