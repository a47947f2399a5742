/**
 * The HTTP side of the reference server (docs/spec/sync-protocol.md): Fastify routes for
 * `POST /v1/events`, `GET /v1/changes`, `GET /v1/own-events`, `GET /v1/settlement`,
 * `POST /v1/allotments` (server/allotments.ts), plus an unauthenticated `GET /v1/health`.
 * Every response says `Sync-Protocol: 2`. Token authentication, the busy limits
 * (503 / 429 with Retry-After) and JSON error bodies `{ error, message }`.
 */
import { existsSync } from 'node:fs';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { ServerDb } from './db';
import { MAX_EVENTS_PER_REQUEST, SYNC_PROTOCOL_HEADER, SYNC_PROTOCOL_VERSION, uploadRequest } from '../common/protocol/sync';
import { answerAllotment } from './allotments';
import { changesFor, DEFAULT_CHANGES_PER_PAGE, MAX_CHANGES_PER_PAGE, parseCursor } from './changes';
import { authenticate, type DeviceRef } from './devices';
import { storeEvents } from './events';
import { parseDay, settlement } from './settlement';
import { DEFAULT_OWN_EVENTS_PER_PAGE, MAX_OWN_EVENTS_PER_PAGE, ownEventsFor, parseOwnCursor } from './own-events';

export interface AppOptions {
  sdb: ServerDb;
  /** Requests under /v1 handled at once before answering 503 (default 64; 0 refuses all). */
  maxInFlight?: number;
  /** Requests per second allowed per device before answering 429 (default: no limit). */
  deviceRate?: number;
  /** Seconds sent in Retry-After with 429/503 (default 1). */
  retryAfter?: number;
  /** While this file exists, every /v1 call but health answers 503 (for fault tests). */
  busyFile?: string;
  /** Fastify's logger (default off). */
  logger?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    device?: DeviceRef;
  }
}

function fail(reply: FastifyReply, status: number, error: string, message: string, extra: Record<string, unknown> = {}) {
  return reply.code(status).send({ error, message, ...extra });
}

/** The device of an authenticated request (set by the onRequest hook). */
function deviceOf(req: FastifyRequest): DeviceRef {
  if (!req.device) throw new Error('unauthenticated request reached a handler');
  return req.device;
}

/** SQLite locked by another process past busy_timeout, or PostgreSQL out of connections / lock timeout. */
function isBusyError(err: { code?: string }): boolean {
  return ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED', '53300', '55P03', '57P03', '40001', '40P01', '23505', 'DB_RETRY_EXHAUSTED'].includes(String(err.code));
}

/**
 * The largest upload body: 500 events of at most ~1.5 KB of known fields and
 * 4 KB of unknown ones (common/protocol/event.ts) fit with room to spare. A
 * Content-Length above it is answered 413 before the body is read.
 */
export const UPLOAD_BODY_LIMIT = 4 * 1024 * 1024;
/** Every other call has no body worth the name. */
const OTHER_BODY_LIMIT = 64 * 1024;

export function buildApp(opts: AppOptions): FastifyInstance {
  const { sdb } = opts;
  const maxInFlight = opts.maxInFlight ?? 64;
  const retryAfter = String(opts.retryAfter ?? 1);
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: OTHER_BODY_LIMIT });
  let inFlight = 0;
  const buckets = new Map<string, { tokens: number; at: number }>();

  app.addHook('onSend', async (_req, reply, payload) => {
    if (!reply.hasHeader('date')) reply.header('date', new Date().toUTCString());
    reply.header(SYNC_PROTOCOL_HEADER, String(SYNC_PROTOCOL_VERSION));
    return payload;
  });

  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status === 413) return fail(reply, 413, 'too_large', `the request body is too large: ${err.message}`);
    if (status < 500) return fail(reply, status, 'bad_request', err.message);
    if (isBusyError(err)) {
      reply.header('retry-after', retryAfter);
      return fail(reply, 503, 'busy', 'the database is busy; retry after the time in Retry-After');
    }
    return fail(reply, 500, 'internal', 'the server failed; retry later');
  });

  app.get('/v1/health', async () => ({ ok: true, serverTime: new Date().toISOString() }));

  app.register(async (v1) => {
    // Everything a request is refused for is decided here, in onRequest: before
    // Fastify reads a byte of the body (issue 11: an unauthenticated client
    // must not make the server read and parse megabytes).
    v1.addHook('onRequest', async (req, reply) => {
      if (req.url.startsWith('/v1/health')) return;
      inFlight++;
      // 'close' fires once however the request ends: answered, aborted by the
      // client mid-body, or failed. Counting down on the response alone let
      // aborted uploads hold their place for ever (issue 11).
      reply.raw.once('close', () => inFlight--);
      if (inFlight > maxInFlight || (opts.busyFile !== undefined && existsSync(opts.busyFile))) {
        reply.header('retry-after', retryAfter);
        return fail(reply, 503, 'busy', 'the server is busy; retry after the time in Retry-After');
      }
      const auth = req.headers.authorization;
      const deviceId = req.headers['x-device-id'];
      const m = typeof auth === 'string' ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
      if (!m || typeof deviceId !== 'string' || deviceId === '') {
        return fail(reply, 401, 'unauthorized', 'missing Authorization: Bearer <token> or X-Device-Id');
      }
      const device = await authenticate(sdb, deviceId, m[1]!);
      if (!device) return fail(reply, 401, 'unauthorized', 'the token was refused (unknown device, wrong token or revoked)');
      const asked = (req.query as Record<string, unknown> | undefined)?.mid ?? req.headers['x-merchant-id'];
      if (typeof asked === 'string' && asked !== device.mid) {
        return fail(reply, 403, 'wrong_merchant', `this device belongs to merchant ${device.mid}, not ${asked}`);
      }
      if (opts.deviceRate !== undefined && opts.deviceRate > 0) {
        const now = Date.now();
        const b = buckets.get(device.id) ?? { tokens: opts.deviceRate, at: now };
        b.tokens = Math.min(opts.deviceRate, b.tokens + ((now - b.at) / 1000) * opts.deviceRate);
        b.at = now;
        buckets.set(device.id, b);
        if (b.tokens < 1) {
          reply.header('retry-after', retryAfter);
          return fail(reply, 429, 'rate_limited', `more than ${opts.deviceRate} requests a second from this device; retry after the time in Retry-After`);
        }
        b.tokens -= 1;
      }
      req.device = device;
    });

    v1.post('/v1/events', { bodyLimit: UPLOAD_BODY_LIMIT }, async (req, reply) => {
      const read = uploadRequest.safeParse(req.body);
      if (!read.success) return fail(reply, 400, 'bad_request', 'the body must be JSON: { "events": [ … ] }');
      const body = read.data;
      if (body.events.length > MAX_EVENTS_PER_REQUEST) {
        return fail(reply, 413, 'too_many_events', `at most ${MAX_EVENTS_PER_REQUEST} events a request (got ${body.events.length})`, { max: MAX_EVENTS_PER_REQUEST });
      }
      return { results: await storeEvents(sdb, deviceOf(req), body.events) };
    });

    v1.post('/v1/allotments', async (req, reply) => {
      const r = await answerAllotment(sdb, deviceOf(req), req.body);
      return reply.code(r.status).send(r.body);
    });

    v1.get('/v1/changes', async (req, reply) => {
      const q = req.query as { since?: string; limit?: string };
      let since = 0;
      if (q.since !== undefined && q.since !== '') {
        const s = parseCursor(q.since);
        if (s === null) return fail(reply, 400, 'bad_cursor', `not a cursor of this server: "${q.since}"`);
        since = s;
      }
      let limit = DEFAULT_CHANGES_PER_PAGE;
      if (q.limit !== undefined) {
        limit = Number(q.limit);
        if (!Number.isInteger(limit) || limit < 1) return fail(reply, 400, 'bad_request', `limit must be a whole number ≥ 1 (got "${q.limit}")`);
        limit = Math.min(limit, MAX_CHANGES_PER_PAGE);
      }
      return changesFor(sdb, deviceOf(req), since, limit);
    });

    v1.get('/v1/own-events', async (req, reply) => {
      const q = req.query as { since?: string; limit?: string };
      const since = q.since ? parseOwnCursor(q.since) : 0;
      if (since === null) return fail(reply, 400, 'bad_cursor', `not a cursor of this server: "${q.since}"`);
      const limit = q.limit === undefined ? DEFAULT_OWN_EVENTS_PER_PAGE : Number(q.limit);
      if (!Number.isInteger(limit) || limit < 1) return fail(reply, 400, 'bad_request', `limit must be a whole number ≥ 1 (got "${q.limit}")`);
      return ownEventsFor(sdb, deviceOf(req), since, Math.min(limit, MAX_OWN_EVENTS_PER_PAGE));
    });

    v1.get('/v1/settlement', async (req, reply) => {
      const q = req.query as { day?: string };
      const dayMs = typeof q.day === 'string' ? parseDay(q.day) : null;
      if (dayMs === null) return fail(reply, 400, 'bad_request', `day must be a date YYYY-MM-DD (got "${String(q.day ?? '')}")`);
      return settlement(sdb, deviceOf(req).mid, q.day!, dayMs);
    });
  });
  return app;
}

export interface RunningServer {
  app: FastifyInstance;
  /** Base URL, e.g. http://127.0.0.1:8787 (calls go to `${url}/v1/…`). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listen on loopback (or `host`); port 0 picks a free one. */
export async function startServer(opts: AppOptions & { port?: number; host?: string }): Promise<RunningServer> {
  const app = buildApp(opts);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ port: opts.port ?? 0, host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (opts.port ?? 0);
  return { app, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, port, close: () => app.close() };
}
