import type { VoucherKind } from '../../../preload/contract';
import type { VoucherTerms } from '../vouchers/claims';

/** The rows the ledger keeps (tables `events` and `vouchers`) and what is appended to them. */

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
  /** Protocol 2: stock units this redemption took from the workstation's allotment (null: none). */
  allot: number | null;
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
  /** Stock units taken from this workstation's campaign allotment (sent as `allot`). */
  allot?: number;
}

/** An event made on another workstation, as the changes feed brings it (times in ms). */
export interface RemoteEvent {
  id: string;
  type: 'redemption' | 'reversal';
  iss: string | null;
  jti: string | null;
  mid: string | null;
  branch: string | null;
  device: string | null;
  cashier: string | null;
  at: number;
  units: number | null;
  amount: number | null;
  cur: string | null;
  reverses?: string | null | undefined;
  reason?: string | null | undefined;
  by?: string | null | undefined;
  member: string | null;
  offline: boolean;
  /** Protocol 2: the voucher's campaign (forwarded redemptions carry `cmp`) and the units its device took from its allotment. */
  cmp?: string | null | undefined;
  allot?: number | null | undefined;
}
