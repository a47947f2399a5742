/**
 * Campaign stock, protocol 2 (docs/spec/sync-protocol.md "Campaign stock"):
 * allotments (escrow of a campaign's shared stock) and the header by which a
 * server says it speaks protocol 2. Imports only zod.
 */
import { z } from 'zod';

/** Every response of a protocol-2 server carries `Sync-Protocol: 2` (header names are case-insensitive). */
export const SYNC_PROTOCOL_HEADER = 'sync-protocol';
export const SYNC_PROTOCOL_VERSION = 2;

/** On the wire, a campaign's default mode: strict (offline only within the allotment) or lenient. */
export const wireCampaignMode = z.enum(['strict', 'lenient']);

const units = z.number().int().min(0).max(1_000_000_000);

/** `POST /v1/allotments`: `want` absent asks for the counts and changes nothing. */
export const allotmentRequest = z
  .object({
    campaign: z.string().min(1).max(64),
    /** The `allot` units this device has used in the campaign so far, cumulative, uploaded or not. */
    consumed: units,
    /** The units it wants to hold after this call, beyond `consumed` (0 gives everything back). */
    want: units.optional(),
  })
  .strict();
export type AllotmentRequest = z.infer<typeof allotmentRequest>;

/** The answer: the device's cumulative grant and the campaign's counts as the server sees them now. */
export const allotmentAnswer = z.object({
  campaign: z.string(),
  /** Cumulative units granted to this device (less those given back): it may use up to `granted − consumed`. */
  granted: units,
  /** null: the campaign has no stock (nothing is granted). */
  stock: units.nullable(),
  redeemed: units,
  reserved: units,
  /** What the server counts as this device's (granted less the `allot` units it has stored). */
  held: units,
  serverTime: z.string().nullable().catch(null),
});
export type AllotmentAnswer = z.infer<typeof allotmentAnswer>;

/** The reason an online-first redemption is rejected with when its campaign has nothing free. */
export const SOLD_OUT = 'soldOut';

/** Settlement additions: the day's oversold redemptions and the merchant's stocked campaigns now. */
export const oversoldLine = z.object({ campaign: z.string(), event: z.string(), device: z.string().nullable(), units: units });
export const stockLine = z.object({ campaign: z.string(), stock: units, redeemed: units, reserved: units });
export type OversoldLine = z.infer<typeof oversoldLine>;
export type StockLine = z.infer<typeof stockLine>;
