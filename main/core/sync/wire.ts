/**
 * The wire form of the ledger's events (common/protocol): the protocol's
 * schema of a sent event, with the two fields the ledger keeps differently
 * (`at` in ms, `offline` as 0/1). Kept apart from the client so the ledger can
 * build an outbox body in its own transaction.
 */
import { z } from 'zod';
import { isoTime, sentRedemption, sentReversal, type SentEvent } from '../../../common/protocol/sync';

export type WireEvent = SentEvent;

const atMs = z.codec(z.number(), isoTime, {
  decode: (ms) => new Date(ms).toISOString(),
  encode: (iso) => Date.parse(iso),
});
const offline = z.codec(z.union([z.boolean(), z.number()]), z.boolean(), {
  decode: (v) => v === true || v === 1,
  encode: (b) => b,
});

/** An event as the ledger keeps it, read as the protocol's sent event (other columns are left out). */
const fromLedger = z.discriminatedUnion('type', [sentRedemption.extend({ at: atMs, offline }), sentReversal.extend({ at: atMs, offline })]);

export type EventFields = z.input<typeof fromLedger>;

/** A ledger row or the fields of a would-be event; a reversal names what it reverses. */
type LedgerEvent = Omit<z.input<typeof sentReversal>, 'type' | 'reverses' | 'at' | 'offline'> & {
  type: 'redemption' | 'reversal';
  at: number;
  offline: number | boolean;
  reverses?: string | null;
};

export function wireEvent(e: EventFields | LedgerEvent): WireEvent {
  // `allot` goes up only when units came from an allotment (protocol 2); the ledger keeps null for none.
  const { allot, ...rest } = e as EventFields & { allot?: number | null };
  return fromLedger.decode((e.type === 'redemption' && allot ? { ...rest, allot } : rest) as EventFields);
}
