/**
 * Events on the wire (docs/spec/sync-protocol.md "Calls"): a redemption or a
 * reversal, as a workstation uploads it and as the changes feed passes it on.
 * The one definition both the workstation and the reference server read.
 */
import { z } from 'zod';

/**
 * A date-time as RFC 3339 writes it (`2026-11-21T09:00:00Z`, fraction and
 * offset optional): real calendar dates only, so `2026-02-31` is refused
 * rather than read as 3 March (issue 11).
 */
export const isoTime = z.iso.datetime({ offset: true, error: 'not an ISO 8601 date-time' }).max(40);
export const eventId = z.string().min(1).max(64);
const optText = z.string().max(200).nullable().optional();
const where = {
  mid: z.string().max(64).nullable().optional(),
  branch: z.string().max(64).nullable().optional(),
  device: z.string().max(64).nullable().optional(),
};

/** A redemption as a server accepts it (fields it does not know are kept). */
export const redemption = z.looseObject({
  id: eventId,
  type: z.literal('redemption'),
  iss: z.string().min(1).max(64),
  jti: z.string().min(1).max(64),
  ...where,
  at: isoTime,
  units: z.number().int().min(0).max(1_000_000).nullable().optional(),
  amount: z.number().int().min(0).max(1e15).nullable().optional(),
  cur: z.string().max(8).nullable().optional(),
  cashier: optText,
  member: optText,
  offline: z.boolean().optional(),
  /** Protocol 2: how many of its stock units come from the device's allotment (docs/spec/sync-protocol.md "Campaign stock"). */
  allot: z.number().int().min(0).max(1_000_000).optional(),
});

/** A reversal: only what it reverses is needed; a workstation also sends the voucher's fields. */
export const reversal = z.looseObject({
  id: eventId,
  type: z.literal('reversal'),
  reverses: eventId,
  at: isoTime,
  ...where,
  reason: z.string().max(500).nullable().optional(),
  by: optText,
});

export type Redemption = z.infer<typeof redemption>;
export type Reversal = z.infer<typeof reversal>;
export type Event = Redemption | Reversal;

/** The problems of a parse, in one line (rejection reasons quote it). */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ');
}

/** Fields an event may carry beyond those it defines, at most this many bytes of JSON in all. */
export const MAX_UNKNOWN_FIELDS_BYTES = 4096;

/** The bytes of JSON the fields of `ev` that `known` does not name take. */
function unknownBytes(ev: Record<string, unknown>, known: Record<string, unknown>): number {
  const extra = Object.fromEntries(Object.entries(ev).filter(([k]) => !(k in known)));
  return Object.keys(extra).length === 0 ? 0 : new TextEncoder().encode(JSON.stringify(extra)).length;
}

/** Reads one event; a refusal names the id (when there is one) and why. */
export function parseEvent(raw: unknown): { ok: true; ev: Event } | { ok: false; id: string; reason: string } {
  const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : '';
  const type = (raw as { type?: unknown })?.type;
  if (type !== 'redemption' && type !== 'reversal') return { ok: false, id, reason: 'invalid event: type must be "redemption" or "reversal"' };
  const schema = type === 'redemption' ? redemption : reversal;
  const r = schema.safeParse(raw);
  if (!r.success) return { ok: false, id, reason: `invalid event: ${describeIssues(r.error)}` };
  const extra = unknownBytes(r.data, schema.shape);
  if (extra > MAX_UNKNOWN_FIELDS_BYTES) {
    return { ok: false, id, reason: `invalid event: unknown fields take ${extra} bytes, at most ${MAX_UNKNOWN_FIELDS_BYTES}` };
  }
  return { ok: true, ev: r.data };
}

/**
 * An event as a workstation sends it: every field present, null when empty.
 * Reversals carry the same fields as redemptions (voucher, merchant, branch,
 * device) plus `reverses`, `reason` and `by`: the spec's example shows only the
 * latter, the extra fields let a server count a reversal without a lookup.
 */
const sentFields = {
  iss: z.string().nullable(),
  jti: z.string().nullable(),
  mid: z.string().nullable(),
  branch: z.string().nullable(),
  device: z.string(),
  at: isoTime,
  units: z.number().nullable(),
  amount: z.number().nullable(),
  cur: z.string().nullable(),
  cashier: z.string().nullable(),
  member: z.string().nullable(),
  offline: z.boolean(),
};
export const sentRedemption = z.object({
  id: eventId,
  type: z.literal('redemption'),
  ...sentFields,
  /** Protocol 2 only, and only when units came from an allotment. */
  allot: z.number().int().min(0).optional(),
});
export const sentReversal = z.object({
  id: eventId,
  type: z.literal('reversal'),
  ...sentFields,
  reverses: eventId,
  reason: z.string().nullable().default(null),
  by: z.string().nullable().default(null),
});
export const sentEvent = z.discriminatedUnion('type', [sentRedemption, sentReversal]);
export type SentEvent = z.infer<typeof sentEvent>;
