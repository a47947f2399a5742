/**
 * `GET /v1/changes?since=<cursor>&limit=<n>` (docs/spec/sync-protocol.md):
 * a page of changes, and each kind of change. A workstation ignores a kind
 * it does not know, and a change it cannot read.
 */
import { z } from 'zod';
import { firstRef } from './upload';

export const changesPage = z.object({
  cursor: z.string(),
  more: z.boolean().catch(false),
  serverTime: z.string().nullable().catch(null),
  changes: z.array(z.unknown()),
});
export type ChangesPage = z.input<typeof changesPage>;

/** Every change names its kind; the rest depends on it. */
export const change = z.looseObject({ type: z.string() });

/** A redemption or reversal made on another device of the merchant (the event as uploaded). */
export const eventChange = z.object({ type: z.enum(['redemption', 'reversal']), event: z.record(z.string(), z.unknown()) });

const optString = z.string().nullable().optional().catch(null);

/** An event that lost a conflict, with the one that came first (and, from the reference server, where and when it was made). */
export const conflictChange = z.looseObject({
  type: z.literal('conflict'),
  event: z.union([z.string().min(1), z.looseObject({ id: z.string().min(1) })]),
  first: firstRef,
  iss: optString,
  jti: optString,
  at: optString,
  branch: optString,
  device: optString,
});

export const revocationChange = z.object({
  type: z.literal('revocation'),
  iss: z.string().min(1),
  jti: z.string().min(1),
  at: optString,
  reason: optString,
});

/** 'rotated' keys still verify what they signed; 'retired' (or 'revoked') ones are no longer trusted. */
export const issuerKeyChange = z.object({
  type: z.literal('issuer-key'),
  iss: z.string().min(1),
  key: z.record(z.string(), z.unknown()),
  status: z.string().optional().catch(undefined),
});

/** A campaign's rules; the workstation's catalog reads the fields (null means not set; `mode`, protocol 2: 'strict' | 'lenient'). */
export const campaignChange = z.looseObject({ type: z.literal('campaign') });

export type ConflictChange = z.input<typeof conflictChange>;
export type Change =
  | z.input<typeof eventChange>
  | ConflictChange
  | z.input<typeof revocationChange>
  | z.input<typeof issuerKeyChange>
  | z.input<typeof campaignChange>;
