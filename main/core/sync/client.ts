/**
 * The sync client (docs/spec/sync-protocol.md): uploads the outbox, downloads changes
 * since the cursor, answers online-first questions, keeps the status the
 * screens show. Network I/O is asynchronous; every SQLite write is one short
 * transaction, so a redemption never waits behind a sync.
 */
import type { JWK } from 'jose';
import type { ConflictView, RejectedView, SyncEventRef, SyncProblem, SyncStatus } from '../../../preload/contract';
import type { Catalog } from '../catalog/catalog';
import { campaignRow } from '../catalog/catalog';
import type { Db } from '../db/open';
import { UserError } from '../errors';
import { idFactory } from '../ids';
import type { KeyStore } from '../keystore/keystore';
import { describeJwk, fingerprint, issuerKeyType, publicJwk } from '../keystore/jwk';
import type { Ledger } from '../ledger/ledger';
import type { Logger } from '../log';
import type { Context, OnlineAnswer, OnlineFirst, OnlineFirstRef } from '../redeem/redeem';
import type { Settings } from '../settings';
import { wireEvent, type EventFields, type WireEvent } from './wire';

export const MAX_BATCH = 500;
const ONLINE_WINDOW_MS = 60_000;
const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 5 * 60_000;
const UPLOAD_EVERY_MS = 10_000;
const CLOCK_WARN_MS = 2 * 60_000;

export interface SyncDeps {
  db: Db;
  settings: Settings;
  keystore: KeyStore;
  catalog: Catalog;
  ledger: Ledger;
  ctx: Context;
  log: Logger;
  onStatus?: (s: SyncStatus) => void;
}

/** A failed exchange, in the words the screens show (sync.err.<code>). */
export class SyncError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string | number> = {},
    readonly retryAfterMs: number | null = null,
  ) {
    super(code);
    this.name = 'SyncError';
  }
}

type UploadStatus = 'stored' | 'duplicate' | 'conflict' | 'rejected';
interface UploadResult {
  id: string;
  status: UploadStatus;
  first?: OnlineFirstRef;
  reason?: string;
}

interface Change {
  type: string;
  [k: string]: unknown;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function parseFirst(v: unknown): OnlineFirstRef | null {
  if (!isObj(v) || typeof v.id !== 'string') return null;
  return { id: v.id, branch: str(v.branch), device: str(v.device), at: str(v.at) ?? '' };
}

/** Checks one upload answer; anything else is a bad response (and nothing is marked). */
export function parseResults(body: unknown, ids: string[]): UploadResult[] {
  if (!isObj(body) || !Array.isArray(body.results) || body.results.length !== ids.length) throw new SyncError('badResponse');
  return body.results.map((r: unknown, i) => {
    if (!isObj(r) || r.id !== ids[i]) throw new SyncError('badResponse');
    const status = r.status;
    // The reference server answers a retry 'duplicate' with `was` and the first answer's fields:
    // a duplicate of a conflict is still a conflict here.
    if (status === 'duplicate' && r.was === 'conflict' && parseFirst(r.first)) return { id: ids[i]!, status: 'conflict', first: parseFirst(r.first)! };
    if (status === 'stored' || status === 'duplicate') return { id: ids[i]!, status };
    if (status === 'conflict') {
      const first = parseFirst(r.first);
      if (!first) throw new SyncError('badResponse');
      return { id: ids[i]!, status, first };
    }
    // A duplicate of a conflict may be answered 'duplicate' or 'conflict'; both are handled above.
    if (status === 'rejected') return { id: ids[i]!, status, reason: str(r.reason) ?? '' };
    throw new SyncError('badResponse');
  });
}

function jitter(ms: number): number {
  return Math.round(ms / 2 + Math.random() * (ms / 2));
}

function parseRetryAfter(h: string | null, now: number): number | null {
  if (!h) return null;
  if (/^\d+$/.test(h.trim())) return Number(h.trim()) * 1000;
  const at = Date.parse(h);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
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

export class SyncClient implements OnlineFirst {
  private readonly nextId = idFactory();
  private lastOkAt = 0;
  private offlineSince: number | null = null;
  private lastSync: number | null = null;
  private errors: SyncProblem[] = [];
  private failures = 0;
  private backoffUntil = 0;
  private nextUploadAt = 0;
  private nextDownloadAt = 0;
  private clockOffsetMs: number | null = null;
  private progress: SyncStatus['progress'] = null;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private batch = MAX_BATCH;
  private readonly s;

  constructor(private readonly d: SyncDeps) {
    const db = d.db;
    this.s = {
      waiting: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sync_outbox WHERE status IS NULL'),
      nextBatch: db.prepare<[number], { id: string; body: string }>('SELECT id, body FROM sync_outbox WHERE status IS NULL ORDER BY seq LIMIT ?'),
      mark: db.prepare(
        `UPDATE sync_outbox SET status = @status, reason = @reason, first = @first, sent_at = @at, via = @via
          WHERE id = @id AND (status IS NULL OR status != @status)`,
      ),
      outboxInsert: db.prepare('INSERT OR IGNORE INTO sync_outbox (id, body, status, reason, first, sent_at, via) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      outboxBody: db.prepare<[string], { body: string }>('SELECT body FROM sync_outbox WHERE id = ?'),
      eventRow: db.prepare<[string], EventFields & { reverses: string | null }>('SELECT * FROM events WHERE id = ?'),
      conflictUpsert: db.prepare(
        `INSERT INTO sync_conflicts (event_id, iss, jti, event, first, origin, detected_at) VALUES (@event_id, @iss, @jti, @event, @first, @origin, @at)
         ON CONFLICT(event_id) DO UPDATE SET first = excluded.first, event = COALESCE(sync_conflicts.event, excluded.event),
           iss = COALESCE(sync_conflicts.iss, excluded.iss), jti = COALESCE(sync_conflicts.jti, excluded.jti)`,
      ),
      openConflicts: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sync_conflicts WHERE settled_at IS NULL'),
      rejectedCount: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sync_outbox WHERE status = 'rejected'"),
      issuerUpsert: db.prepare('INSERT INTO issuers (iss, name) VALUES (?, ?) ON CONFLICT(iss) DO NOTHING'),
      keyByKid: db.prepare<[string], { fingerprint: string; iss: string | null }>("SELECT fingerprint, iss FROM keys WHERE role = 'issuer' AND kid = ?"),
      keyInsert: db.prepare(`INSERT INTO keys (role, kid, iss, kty, crv, bits, public_jwk, private_blob, fingerprint, source, added_at)
        VALUES ('issuer', @kid, @iss, @kty, @crv, @bits, @public_jwk, NULL, @fingerprint, @source, @added_at)`),
      keyDelete: db.prepare("DELETE FROM keys WHERE role = 'issuer' AND kid = ?"),
    };
  }

  // ---------------------------------------------------------------- configuration

  config(): { url: string; deviceId: string } | null {
    const s = this.d.settings.getJson<{ url?: string; deviceId?: string }>('server');
    return s?.url && s.deviceId ? { url: s.url.replace(/\/+$/, ''), deviceId: s.deviceId } : null;
  }

  private serverHost(): string {
    try {
      return new URL(this.config()?.url ?? '').host;
    } catch {
      return 'server';
    }
  }

  private timeoutMs(): number {
    return this.d.settings.getNumber('sync.timeoutMs', 15_000);
  }

  onlineTimeoutMs(): number {
    return this.d.settings.getNumber('sync.onlineTimeoutMs', 1_500);
  }

  downloadEveryMs(): number {
    return this.d.settings.getNumber('sync.downloadEveryMs', 60_000);
  }

  // ---------------------------------------------------------------- status

  status(): SyncStatus {
    const cfg = this.config();
    const now = Date.now();
    const wrong = this.clockOffsetMs !== null && Math.abs(this.clockOffsetMs) > CLOCK_WARN_MS ? Math.round(this.clockOffsetMs / 60_000) : null;
    return {
      configured: cfg !== null,
      unlocked: this.d.keystore.state() === 'unlocked',
      url: cfg?.url ?? null,
      deviceId: cfg?.deviceId ?? null,
      online: this.lastOkAt > 0 && now - this.lastOkAt < ONLINE_WINDOW_MS,
      offlineSince: this.offlineSince,
      waiting: this.s.waiting.get()!.n,
      lastSync: this.lastSync,
      lastErrors: this.errors.slice(-5),
      clockOffsetMs: this.clockOffsetMs,
      clockWrongMinutes: wrong,
      running: this.running !== null,
      progress: this.progress,
      openConflicts: this.s.openConflicts.get()!.n,
      rejected: this.s.rejectedCount.get()!.n,
      nextAttemptAt: this.backoffUntil > now ? this.backoffUntil : null,
      downloadEverySeconds: Math.round(this.downloadEveryMs() / 1000),
      onlineTimeoutMs: this.onlineTimeoutMs(),
    };
  }

  private statusTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  /** Tells the screens; during a long sync at most 4 times a second (the counts cost a little each time). */
  private changed(): void {
    if (!this.d.onStatus || this.statusTimer || this.stopped) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null;
      this.d.onStatus?.(this.status());
    }, 250);
    this.statusTimer.unref();
  }

  private ok(): void {
    this.lastOkAt = Date.now();
    this.offlineSince = null;
    this.failures = 0;
    this.backoffUntil = 0;
  }

  private fail(e: SyncError): void {
    const now = Date.now();
    this.lastOkAt = 0;
    if (this.offlineSince === null) this.offlineSince = now;
    this.failures++;
    const exp = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (this.failures - 1));
    const wait = e.retryAfterMs !== null ? Math.min(BACKOFF_MAX_MS, Math.max(e.retryAfterMs, BACKOFF_MIN_MS)) : jitter(exp);
    this.backoffUntil = now + wait;
    this.errors.push({ code: e.code, ...(Object.keys(e.params).length ? { params: e.params } : {}), at: now });
    if (this.errors.length > 20) this.errors.splice(0, this.errors.length - 20);
    this.d.log.info('sync failed', { code: e.code, retryInMs: wait });
  }

  // ---------------------------------------------------------------- HTTP

  private async request(method: 'GET' | 'POST', path: string, body: string | null, timeoutMs: number): Promise<unknown> {
    const cfg = this.config();
    if (!cfg) throw new SyncError('notConfigured');
    let token: string | null;
    try {
      token = await this.d.keystore.serverToken();
    } catch {
      token = null;
    }
    if (!token) throw new SyncError('locked');
    const sentAt = Date.now();
    let res: Response;
    try {
      res = await fetch(cfg.url + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'x-device-id': cfg.deviceId,
          accept: 'application/json',
          ...(body !== null ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== null ? { body } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      throw new SyncError('unreachable');
    }
    const receivedAt = Date.now();
    this.noteServerTime(res.headers.get('date'), (sentAt + receivedAt) / 2);
    let text: string;
    try {
      text = await res.text();
    } catch {
      throw new SyncError('unreachable');
    }
    if (res.status === 401) throw new SyncError('tokenRefused');
    if (res.status === 403) throw new SyncError('wrongMerchant');
    if (res.status === 413) throw new SyncError('tooLarge');
    if (res.status === 429 || res.status === 503) throw new SyncError('busy', {}, parseRetryAfter(res.headers.get('retry-after'), receivedAt));
    if (res.status < 200 || res.status >= 300) throw new SyncError('serverError', { status: res.status });
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new SyncError('badResponse');
    }
  }

  /** The server's clock: feeds the clock guard's trusted time and the "clock wrong" warning. */
  private noteServerTime(header: string | null | undefined, localMs: number): void {
    if (!header) return;
    const server = Date.parse(header);
    if (Number.isNaN(server)) return;
    // The Date header has whole seconds: half a second of error either way.
    this.clockOffsetMs = server + 500 - localMs;
    this.d.ctx.recordTrustedTime(server);
  }

  // ---------------------------------------------------------------- online-first

  ready(): boolean {
    return this.config() !== null && this.lastOkAt > 0 && Date.now() - this.lastOkAt < ONLINE_WINDOW_MS;
  }

  async ask(event: EventFields): Promise<OnlineAnswer | null> {
    const w = wireEvent(event);
    try {
      const body = await this.request('POST', '/v1/events', JSON.stringify({ events: [w] }), this.onlineTimeoutMs());
      const [r] = parseResults(body, [w.id]);
      this.ok();
      this.changed();
      if (r!.status === 'conflict') return { status: 'conflict', first: r!.first! };
      if (r!.status === 'rejected') return { status: 'rejected', reason: r!.reason ?? '' };
      return { status: r!.status as 'stored' | 'duplicate' };
    } catch (e) {
      // No usable answer: decide offline, and stop asking until a sync succeeds
      // (each redemption would otherwise wait for the timeout).
      this.fail(e instanceof SyncError ? e : new SyncError('unreachable'));
      this.changed();
      return null;
    }
  }

  /**
   * The server stored our would-be event as a conflict and the counter refuses
   * the voucher: the platform now holds that event, so it is kept here too (in
   * the outbox, answered 'conflict', and in the Conflicts list) but not in the
   * ledger, since nothing was handed over. The owner settles it like any conflict.
   */
  refusedAfterConflict(event: EventFields, first: OnlineFirstRef): void {
    const w = wireEvent(event);
    const now = Date.now();
    this.d.db.transaction(() => {
      this.s.outboxInsert.run(w.id, JSON.stringify(w), 'conflict', 'refused at the counter', JSON.stringify(first), now, 'online-first');
      this.s.conflictUpsert.run({ event_id: w.id, iss: w.iss, jti: w.jti, event: JSON.stringify(w), first: JSON.stringify(first), origin: 'online', at: now });
    })();
    this.changed();
  }

  /** The server stored an event the counter then refused: a reversal goes up (it has no ledger event here). */
  withdraw(event: EventFields, why: string): void {
    const at = Date.now();
    const rev = wireEvent({ ...event, id: this.nextId(at), type: 'reversal', at, reverses: event.id, reason: why, by: 'system', offline: false });
    this.s.outboxInsert.run(rev.id, JSON.stringify(rev), null, null, null, null, null);
    this.kick();
  }

  // ---------------------------------------------------------------- upload

  /** Marks answers (from an upload or a receipt file) in one transaction. */
  applyResults(results: UploadResult[], via: string): void {
    const now = Date.now();
    this.d.db.transaction(() => {
      for (const r of results) {
        this.s.mark.run({
          id: r.id,
          status: r.status,
          reason: r.reason ?? null,
          first: r.first ? JSON.stringify(r.first) : null,
          at: now,
          via,
        });
        if (r.status === 'conflict' && r.first) this.recordConflict(r.id, r.first, 'upload', now);
      }
    })();
  }

  private recordConflict(eventId: string, first: OnlineFirstRef | Record<string, unknown>, origin: string, now: number, told?: Record<string, unknown>): void {
    const local = this.s.eventRow.get(eventId);
    let body = local ? JSON.stringify(wireEvent(local)) : (this.s.outboxBody.get(eventId)?.body ?? null);
    // The reference server's conflict change also names the losing event's voucher, time, branch and device.
    if (!body && told) body = JSON.stringify({ id: eventId, iss: str(told.iss), jti: str(told.jti), at: str(told.at), branch: str(told.branch), device: str(told.device) });
    const iss = local?.iss ?? (told ? str(told.iss) : null);
    const jti = local?.jti ?? (told ? str(told.jti) : null);
    this.s.conflictUpsert.run({ event_id: eventId, iss, jti, event: body, first: JSON.stringify(first), origin, at: now });
  }

  private async upload(): Promise<number> {
    let sent = 0;
    const total = this.s.waiting.get()!.n;
    if (total === 0) return 0;
    this.progress = { phase: 'upload', done: 0, total };
    this.changed();
    for (;;) {
      const rows = this.s.nextBatch.all(this.batch);
      if (rows.length === 0) break;
      let body: unknown;
      try {
        body = await this.request('POST', '/v1/events', `{"events":[${rows.map((r) => r.body).join(',')}]}`, this.timeoutMs());
      } catch (e) {
        if (e instanceof SyncError && e.code === 'tooLarge' && this.batch > 1) {
          this.batch = Math.max(1, Math.floor(this.batch / 2));
          continue;
        }
        throw e;
      }
      this.applyResults(
        parseResults(
          body,
          rows.map((r) => r.id),
        ),
        'upload',
      );
      sent += rows.length;
      this.progress = { phase: 'upload', done: sent, total: Math.max(total, sent) };
      this.changed();
    }
    return sent;
  }

  // ---------------------------------------------------------------- download

  private async download(): Promise<number> {
    let applied = 0;
    this.progress = { phase: 'download', done: 0, total: null };
    this.changed();
    for (let guard = 0; guard < 100_000; guard++) {
      const cursor = this.d.settings.get('sync.cursor');
      const limit = this.d.settings.getNumber('sync.downloadLimit', 2000);
      const q = `/v1/changes?${cursor ? `since=${encodeURIComponent(cursor)}&` : ''}limit=${limit}`;
      const body = await this.request('GET', q, null, this.timeoutMs());
      if (!isObj(body) || typeof body.cursor !== 'string' || !Array.isArray(body.changes)) throw new SyncError('badResponse');
      const serverTime = str(body.serverTime);
      if (serverTime && !Number.isNaN(Date.parse(serverTime))) this.d.ctx.recordTrustedTime(Date.parse(serverTime));
      await this.applyChanges(body.changes as unknown[], body.cursor);
      applied += body.changes.length;
      this.progress = { phase: 'download', done: applied, total: null };
      this.changed();
      if (body.more !== true || body.changes.length === 0) break;
    }
    return applied;
  }

  /**
   * Stores one page of changes and moves the cursor in the same transaction.
   * Applying a page twice changes nothing the second time (events by id,
   * conflicts by event id, revocations and campaigns are upserts, keys by kid).
   */
  async applyChanges(changes: unknown[], cursor: string): Promise<void> {
    // Fingerprints are computed before the transaction (they are async).
    const keys = new Map<number, { jwk: JWK; kid: string; fp: string; info: ReturnType<typeof describeJwk> }>();
    for (let i = 0; i < changes.length; i++) {
      const c = changes[i];
      if (!isObj(c) || c.type !== 'issuer-key' || !isObj(c.key)) continue;
      try {
        const jwk = c.key as JWK;
        const kid = typeof jwk.kid === 'string' ? jwk.kid : '';
        const info = describeJwk(jwk);
        if (!kid || info.isPrivate || !issuerKeyType(info.type)) continue;
        const pub = publicJwk(jwk, kid);
        keys.set(i, { jwk: pub, kid, fp: await fingerprint(pub), info });
      } catch {
        this.d.log.info('sync: issuer key ignored', { reason: 'unreadable' });
      }
    }
    const now = Date.now();
    let keysChanged = false;
    // A page is applied in short transactions with a pause between them, so a
    // scan never waits behind a whole page. The cursor moves only with the last
    // chunk; a page cut off half way is downloaded and applied again, which is
    // harmless because applying a change twice changes nothing.
    const CHUNK = 250;
    for (let from = 0; from < changes.length || from === 0; from += CHUNK) {
      const to = Math.min(changes.length, from + CHUNK);
      const last = to >= changes.length;
      this.d.ledger.exclusive(() => {
        for (let i = from; i < to; i++) {
          const c = changes[i];
          if (!isObj(c) || typeof c.type !== 'string') continue;
          keysChanged = this.applyOne(c as Change, now, keys.get(i)) || keysChanged;
        }
        if (last) this.d.settings.set('sync.cursor', cursor);
      });
      if (last) break;
      await new Promise((r) => setImmediate(r));
    }
    if (keysChanged) this.d.keystore.reloadPublic();
  }

  private applyOne(c: Change, now: number, key?: { jwk: JWK; kid: string; fp: string; info: ReturnType<typeof describeJwk> }): boolean {
    switch (c.type) {
      case 'redemption':
      case 'reversal': {
        if (isObj(c.event)) this.applyRemoteEvent(c.event);
        return false;
      }
      case 'conflict': {
        const id = str(c.event) ?? (isObj(c.event) ? str(c.event.id) : null);
        const first = parseFirst(c.first);
        if (!id || !first) return false;
        this.s.mark.run({ id, status: 'conflict', reason: null, first: JSON.stringify(first), at: now, via: 'changes' });
        this.recordConflict(id, isObj(c.first) ? c.first : first, 'server', now, c);
        return false;
      }
      case 'revocation': {
        const iss = str(c.iss);
        const jti = str(c.jti);
        if (!iss || !jti) return false;
        const at = str(c.at) ? Date.parse(c.at as string) : NaN;
        this.d.catalog.addRevocations([{ iss, jti, reason: str(c.reason) ?? '', at: Number.isNaN(at) ? now : at }], 'sync');
        return false;
      }
      case 'campaign': {
        // The platform sends null for "not set"; the campaign rules read absent fields.
        const fields = Object.fromEntries(Object.entries(c).filter(([, v]) => v !== null));
        const parsed = campaignRow.safeParse({ ...fields, name: c.name ?? c.id });
        if (!parsed.success) {
          this.d.log.info('sync: campaign ignored', { reason: 'invalid' });
          return false;
        }
        try {
          this.d.catalog.setCampaign(parsed.data, 'sync', now);
        } catch {
          this.d.log.info('sync: campaign ignored', { reason: 'range' });
        }
        return false;
      }
      case 'issuer-key': {
        const iss = str(c.iss);
        if (!key || !iss) return false;
        const existing = this.s.keyByKid.get(key.kid);
        // 'retired' (the reference server's word) or 'revoked': stop trusting the key.
        // 'rotated' keys still verify the vouchers minted before the rotation.
        if (c.status === 'retired' || c.status === 'revoked') {
          if (existing) this.s.keyDelete.run(key.kid);
          return !!existing;
        }
        if (existing) {
          if (existing.fingerprint !== key.fp || existing.iss !== iss) this.d.log.info('sync: issuer key ignored', { reason: 'kid taken', kid: key.kid });
          return false;
        }
        this.s.issuerUpsert.run(iss, iss);
        this.s.keyInsert.run({
          kid: key.kid,
          iss,
          kty: key.info.kty,
          crv: key.info.crv,
          bits: key.info.bits,
          public_jwk: JSON.stringify(key.jwk),
          fingerprint: key.fp,
          // Where it came from, for the Keys screen: the authenticated channel and its server.
          source: `sync:${this.serverHost()}`,
          added_at: now,
        });
        return true;
      }
      default:
        return false;
    }
  }

  private applyRemoteEvent(e: Record<string, unknown>): void {
    const type = e.type === 'reversal' ? 'reversal' : e.type === 'redemption' ? 'redemption' : null;
    const id = str(e.id);
    const at = str(e.at) ? Date.parse(e.at as string) : NaN;
    if (!id || !type || Number.isNaN(at)) return;
    this.d.ledger.appendRemote({
      id,
      type,
      iss: str(e.iss),
      jti: str(e.jti),
      mid: str(e.mid),
      branch: str(e.branch),
      device: str(e.device),
      cashier: str(e.cashier),
      at,
      units: num(e.units),
      amount: num(e.amount),
      cur: str(e.cur),
      reverses: str(e.reverses),
      reason: str(e.reason),
      by: str(e.by),
      member: str(e.member),
      offline: e.offline !== false,
    });
  }

  // ---------------------------------------------------------------- the loop

  /** Starts the background loop (the core process does; the CLI syncs once). */
  start(): void {
    if (this.timer) return;
    this.nextDownloadAt = 0;
    this.timer = setInterval(() => void this.tick(), 1000);
    this.timer.unref();
    void this.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.statusTimer) clearTimeout(this.statusTimer);
    this.timer = null;
    this.statusTimer = null;
    this.stopped = true;
  }

  /** After a local event: upload soon (immediately unless backing off). */
  kick(): void {
    this.nextUploadAt = 0;
    if (this.timer) setImmediate(() => void this.tick());
    else this.changed();
  }

  private async tick(): Promise<void> {
    if (this.running || !this.config() || this.d.keystore.state() !== 'unlocked') return;
    const now = Date.now();
    if (now < this.backoffUntil) return;
    const wantUp = now >= this.nextUploadAt && this.s.waiting.get()!.n > 0;
    const wantDown = now >= this.nextDownloadAt;
    if (!wantUp && !wantDown) return;
    await this.run(wantUp, wantDown).catch(() => {});
  }

  private run(up: boolean, down: boolean): Promise<void> {
    if (this.running) return this.running;
    const p = (async () => {
      try {
        if (up) {
          await this.upload();
          this.nextUploadAt = Date.now() + UPLOAD_EVERY_MS;
        }
        if (down) {
          await this.download();
          this.nextDownloadAt = Date.now() + this.downloadEveryMs();
        }
        this.ok();
        this.lastSync = Date.now();
      } catch (e) {
        const err = e instanceof SyncError ? e : new SyncError('internal');
        if (!(e instanceof SyncError)) this.d.log.error('sync crashed', { error: e instanceof Error ? e.name : typeof e });
        this.fail(err);
        throw err;
      } finally {
        this.progress = null;
        this.running = null;
        this.changed();
      }
    })();
    this.running = p;
    return p;
  }

  /** Sync now: waits for a sync in progress, then uploads and downloads. Throws SyncError. */
  async syncNow(): Promise<void> {
    if (!this.config()) throw new SyncError('notConfigured');
    if (this.d.keystore.state() !== 'unlocked') throw new SyncError('locked');
    if (this.running) await this.running.catch(() => {});
    await this.run(true, true);
  }

  /** The platform's settlement of a day (close of day). */
  async settlement(day: string): Promise<unknown> {
    try {
      const body = await this.request('GET', `/v1/settlement?day=${encodeURIComponent(day)}`, null, this.timeoutMs());
      this.ok();
      return body;
    } catch (e) {
      if (e instanceof SyncError) this.fail(e);
      throw e;
    } finally {
      this.changed();
    }
  }

  // ---------------------------------------------------------------- lists

  conflicts(includeSettled: boolean): ConflictView[] {
    const rows = this.d.db
      .prepare<[], { event_id: string; iss: string | null; jti: string | null; event: string | null; first: string; origin: string; detected_at: number; settled_at: number | null; settled_by: string | null; note: string | null }>(
        `SELECT * FROM sync_conflicts ${includeSettled ? '' : 'WHERE settled_at IS NULL'} ORDER BY detected_at DESC, event_id`,
      )
      .all();
    return rows.map((r) => conflictView(r));
  }

  settle(eventId: string, note: string, by: string): ConflictView {
    const n = this.d.db
      .prepare('UPDATE sync_conflicts SET settled_at = ?, settled_by = ?, note = ? WHERE event_id = ? AND settled_at IS NULL')
      .run(Date.now(), by, note, eventId).changes;
    const row = this.d.db.prepare('SELECT * FROM sync_conflicts WHERE event_id = ?').get(eventId) as Parameters<typeof conflictView>[0] | undefined;
    if (!row) throw new UserError('sync.unknownConflict', 'There is no such conflict.', { id: eventId });
    if (n === 0) throw new UserError('sync.alreadySettled', 'This conflict was already settled.', { id: eventId });
    this.changed();
    return conflictView(row);
  }

  rejected(): RejectedView[] {
    return this.d.db
      .prepare<[], { id: string; body: string; reason: string | null }>("SELECT id, body, reason FROM sync_outbox WHERE status = 'rejected' ORDER BY seq")
      .all()
      .map((r) => {
        const w = JSON.parse(r.body) as WireEvent;
        return { eventId: r.id, type: w.type, iss: w.iss ?? null, jti: w.jti ?? null, at: Date.parse(w.at) || null, reason: r.reason ?? '' };
      });
  }
}

function conflictView(r: {
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
}): ConflictView {
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
