/**
 * `POST /v1/events` (docs/spec/sync-protocol.md): the request and the answer
 * for each event, in the same order.
 */
import { z } from 'zod';

/** At most this many events a request. */
export const MAX_EVENTS_PER_REQUEST = 500;

/** The request: the events are read one by one, so that one bad event is refused alone. */
export const uploadRequest = z.object({ events: z.array(z.unknown()) });
export type UploadRequest = z.infer<typeof uploadRequest>;

/** The event that came first, named in a conflict. */
export const firstRef = z.object({
  id: z.string(),
  branch: z.string().nullable().catch(null),
  device: z.string().nullable().catch(null),
  at: z.string().catch(''),
});
export type FirstRef = z.infer<typeof firstRef>;

export const uploadStatus = z.enum(['stored', 'duplicate', 'conflict', 'rejected']);
export type UploadStatus = z.infer<typeof uploadStatus>;

/**
 * The answer for one event. `first`: a conflict's first event; `reason`: why
 * it was rejected; `was`: a duplicate's first answer (stored or conflict);
 * `oversell`: protocol 2, units oversold (docs/spec/sync-protocol.md "Campaign stock").
 * Parts that cannot be read are left out rather than failing the answer.
 */
export const uploadResult = z.object({
  id: z.string(),
  status: uploadStatus,
  first: firstRef.optional().catch(undefined),
  reason: z.string().optional().catch(undefined),
  was: z.enum(['stored', 'conflict']).optional().catch(undefined),
  /** Protocol 2: units of this stored redemption beyond its campaign's stock (reported once, by event id). */
  oversell: z.number().int().min(1).optional().catch(undefined),
});
export type UploadResult = z.infer<typeof uploadResult>;

export const uploadAnswer = z.object({ results: z.array(z.unknown()) });
