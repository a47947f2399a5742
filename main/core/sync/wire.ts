/**
 * The wire form of events (docs/spec/sync-protocol.md "Calls"). Kept apart from the
 * client so the ledger can build an outbox body in its own transaction.
 */
export interface WireEvent {
  id: string;
  type: 'redemption' | 'reversal';
  iss: string | null;
  jti: string | null;
  mid: string | null;
  branch: string | null;
  device: string;
  at: string;
  units: number | null;
  amount: number | null;
  cur: string | null;
  cashier: string | null;
  member: string | null;
  offline: boolean;
  reverses?: string;
  reason?: string | null;
  by?: string | null;
}

export interface EventFields {
  id: string;
  type: 'redemption' | 'reversal';
  iss: string | null;
  jti: string | null;
  mid: string | null;
  branch: string | null;
  device: string;
  at: number;
  units: number | null;
  amount: number | null;
  cur: string | null;
  cashier: string | null;
  member: string | null;
  offline: number | boolean;
  reverses?: string | null;
  reason?: string | null;
  by?: string | null;
}

/**
 * Reversals carry the same fields as redemptions (voucher, merchant, branch,
 * device) plus `reverses`, `reason` and `by`: the spec's example shows only the
 * latter, the extra fields let a server count a reversal without a lookup.
 */
export function wireEvent(e: EventFields): WireEvent {
  const w: WireEvent = {
    id: e.id,
    type: e.type,
    iss: e.iss,
    jti: e.jti,
    mid: e.mid,
    branch: e.branch,
    device: e.device,
    at: new Date(e.at).toISOString(),
    units: e.units,
    amount: e.amount,
    cur: e.cur,
    cashier: e.cashier,
    member: e.member,
    offline: e.offline === true || e.offline === 1,
  };
  if (e.type === 'reversal') {
    w.reverses = e.reverses ?? '';
    w.reason = e.reason ?? null;
    w.by = e.by ?? null;
  }
  return w;
}
