/**
 * The sync loop (docs/spec/sync-protocol.md): uploads the outbox, downloads
 * changes since the cursor, answers online-first questions, keeps the status
 * the screens show, and backs off (with jitter, or as Retry-After says) when
 * the server cannot be reached. The parts: http.ts talks to the server,
 * outbox.ts marks answers, apply.ts hands each change to its owner,
 * conflicts.ts keeps the conflicts. Every SQLite write is one short
 * transaction, so a redemption never waits behind a sync.
 */
import type { ConflictView, RejectedView, SyncProblem, SyncStatus } from '../../../preload/contract';
import { changesPage, MAX_EVENTS_PER_REQUEST, type UploadRequest } from '../../../common/protocol/sync';
import type { Catalog } from '../catalog/catalog';
import type { Db } from '../db/open';
import { idFactory } from '../ids';
import type { KeyStore } from '../keystore/keystore';
import type { Ledger } from '../ledger/ledger';
import type { Logger } from '../log';
import type { Context, OnlineAnswer, OnlineFirst, OnlineFirstRef } from '../redeem/redeem';
import type { Settings } from '../settings';
import { Allotments } from './allotments';
import { ChangeAppliers } from './apply';
import { Conflicts } from './conflicts';
import { SyncError, SyncHttp } from './http';
import { Outbox, parseResults, type OutboxAnswer } from './outbox';
import { wireEvent, type EventFields } from './wire';

export { SyncError } from './http';
export { parseResults } from './outbox';

export const MAX_BATCH = MAX_EVENTS_PER_REQUEST;
const ONLINE_WINDOW_MS = 60_000;
/** The setting that notes online-first events asked and not yet recorded or refused (OnlineFirst.ask). */
const ASKING_SETTING = 'sync.askingOnline';
const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 5 * 60_000;
const UPLOAD_EVERY_MS = 10_000;
/** A counter that needs the server (OnlineFirst.probe) tries it at most this often in one outage, backoff or not. */
const PROBE_EVERY_MS = 5_000;
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

function jitter(ms: number): number {
  return Math.round(ms / 2 + Math.random() * (ms / 2));
}

export class SyncClient implements OnlineFirst {
  private readonly nextId = idFactory();
  private lastOkAt = 0;
  private offlineSince: number | null = null;
  private lastSync: number | null = null;
  private errors: SyncProblem[] = [];
  private failures = 0;
  private backoffUntil = 0;
  private lastProbeAt = 0;
  private nextUploadAt = 0;
  private nextDownloadAt = 0;
  private progress: SyncStatus['progress'] = null;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private batch = MAX_BATCH;
  private readonly http: SyncHttp;
  private readonly outbox: Outbox;
  private readonly conflictList: Conflicts;
  private readonly appliers: ChangeAppliers;
  private readonly allotments: Allotments;

  constructor(private readonly d: SyncDeps) {
    this.http = new SyncHttp(d);
    this.conflictList = new Conflicts(d.db, d.ledger);
    this.outbox = new Outbox(d.db, this.conflictList, d.catalog.stock);
    this.allotments = new Allotments({ http: this.http, catalog: d.catalog, log: d.log, timeoutMs: () => this.timeoutMs() });
    this.appliers = new ChangeAppliers({ ...d, outbox: this.outbox, conflicts: this.conflictList, keySource: () => `sync:${this.http.serverHost()}` });
  }

  // ---------------------------------------------------------------- configuration

  config(): { url: string; deviceId: string } | null {
    return this.http.config();
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
    const cfg = this.http.config();
    const now = Date.now();
    const wrong = this.http.clockOffsetMs !== null && Math.abs(this.http.clockOffsetMs) > CLOCK_WARN_MS ? Math.round(this.http.clockOffsetMs / 60_000) : null;
    return {
      configured: cfg !== null,
      unlocked: this.d.keystore.state() === 'unlocked',
      url: cfg?.url ?? null,
      deviceId: cfg?.deviceId ?? null,
      online: this.lastOkAt > 0 && now - this.lastOkAt < ONLINE_WINDOW_MS,
      offlineSince: this.offlineSince,
      waiting: this.outbox.waiting(),
      lastSync: this.lastSync,
      lastErrors: this.errors.slice(-5),
      clockOffsetMs: this.http.clockOffsetMs,
      clockWrongMinutes: wrong,
      running: this.running !== null,
      progress: this.progress,
      openConflicts: this.conflictList.openCount(),
      rejected: this.outbox.rejectedCount(),
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
    this.lastProbeAt = 0;
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

  // ---------------------------------------------------------------- online-first

  ready(): boolean {
    return this.http.config() !== null && this.lastOkAt > 0 && Date.now() - this.lastOkAt < ONLINE_WINDOW_MS;
  }

  async ask(event: EventFields): Promise<OnlineAnswer | null> {
    const w = wireEvent(event);
    this.noteAsking(event.id, event);
    try {
      const body = await this.http.request('POST', '/v1/events', JSON.stringify({ events: [w] } satisfies UploadRequest), this.onlineTimeoutMs());
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

  probe(): void {
    const now = Date.now();
    if (this.ready() || this.running || !this.http.config() || now - this.lastProbeAt < PROBE_EVERY_MS) return;
    this.lastProbeAt = now;
    this.d.log.info('sync probe: a counter needs the server');
    // After the caller's transaction: a sync round of its own, backoff or not.
    setImmediate(() => void this.run(this.outbox.waiting() > 0, true).catch(() => {}));
  }

  settled(eventId: string): void {
    this.noteAsking(eventId, null);
  }

  /** The online-first events asked and not yet settled (ASKING_SETTING), kept across a crash. */
  private noteAsking(id: string, event: EventFields | null): void {
    const all = this.d.settings.getJson<Record<string, EventFields>>(ASKING_SETTING) ?? {};
    if (event) all[id] = event;
    else delete all[id];
    this.d.settings.setJson(ASKING_SETTING, all);
  }

  /** At start: an event asked before the process died, in no ledger or outbox here, is withdrawn (the server may have stored it). */
  private withdrawUnsettled(): void {
    const all = this.d.settings.getJson<Record<string, EventFields>>(ASKING_SETTING) ?? {};
    const known = this.d.db.prepare<[string, string], { n: number }>('SELECT (SELECT count(*) FROM events WHERE id = ?) + (SELECT count(*) FROM sync_outbox WHERE id = ?) AS n');
    for (const [id, event] of Object.entries(all)) {
      if (known.get(id, id)!.n === 0) this.withdraw(event, 'the workstation stopped before recording it');
      this.noteAsking(id, null);
    }
  }

  /** The server stored our would-be event as a conflict and the counter refuses the voucher (see Outbox.refusedAfterConflict). */
  refusedAfterConflict(event: EventFields, first: OnlineFirstRef): void {
    this.outbox.refusedAfterConflict(wireEvent(event), first);
    this.changed();
  }

  /** The server stored an event the counter then refused: a reversal goes up (it has no ledger event here). */
  withdraw(event: EventFields, why: string): void {
    const at = Date.now();
    const rev = wireEvent({ ...event, id: this.nextId(at), type: 'reversal', at, reverses: event.id, reason: why, by: 'system', offline: false });
    this.outbox.add(rev);
    this.kick();
  }

  // ---------------------------------------------------------------- upload

  /** Marks answers (from an upload or a receipt file). */
  applyResults(results: OutboxAnswer[], via: string): void {
    this.outbox.applyResults(results, via);
  }

  private async upload(): Promise<number> {
    let sent = 0;
    const total = this.outbox.waiting();
    if (total === 0) return 0;
    this.progress = { phase: 'upload', done: 0, total };
    this.changed();
    for (;;) {
      const rows = this.outbox.nextBatch(this.batch);
      if (rows.length === 0) break;
      let body: unknown;
      try {
        body = await this.http.request('POST', '/v1/events', `{"events":[${rows.map((r) => r.body).join(',')}]}`, this.timeoutMs());
      } catch (e) {
        if (e instanceof SyncError && e.code === 'tooLarge' && this.batch > 1) {
          this.batch = Math.max(1, Math.floor(this.batch / 2));
          continue;
        }
        throw e;
      }
      this.outbox.applyResults(
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
      const body = await this.http.request('GET', q, null, this.timeoutMs());
      const read = changesPage.safeParse(body);
      if (!read.success) throw new SyncError('badResponse');
      const page = read.data;
      if (page.serverTime && !Number.isNaN(Date.parse(page.serverTime))) this.d.ctx.recordTrustedTime(Date.parse(page.serverTime));
      await this.appliers.applyPage(page.changes, page.cursor);
      applied += page.changes.length;
      this.progress = { phase: 'download', done: applied, total: null };
      this.changed();
      if (!page.more || page.changes.length === 0) break;
    }
    return applied;
  }

  /** Stores one page of changes and moves the cursor (see ChangeAppliers.applyPage). */
  applyChanges(changes: unknown[], cursor: string): Promise<void> {
    return this.appliers.applyPage(changes, cursor);
  }

  // ---------------------------------------------------------------- the loop

  /** Starts the background loop (the core process does; the CLI syncs once). */
  start(): void {
    if (this.timer) return;
    this.withdrawUnsettled();
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
    if (this.running || !this.http.config() || this.d.keystore.state() !== 'unlocked') return;
    const now = Date.now();
    if (now < this.backoffUntil) return;
    const wantUp = now >= this.nextUploadAt && this.outbox.waiting() > 0;
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
          // Campaign stock (protocol 2): a share sized by the recent rate, and the counts "left" is told from.
          await this.allotments.round();
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
    if (!this.http.config()) throw new SyncError('notConfigured');
    if (this.d.keystore.state() !== 'unlocked') throw new SyncError('locked');
    if (this.running) await this.running.catch(() => {});
    await this.run(true, true);
  }

  /** Close of day: every campaign allotment held here goes back to the server (protocol 2), none asked before `until` (ms). Throws SyncError. */
  async giveBackAllotments(until: number): Promise<void> {
    try {
      await this.allotments.giveBackAll(until);
      this.ok();
    } catch (e) {
      if (e instanceof SyncError) this.fail(e);
      throw e;
    } finally {
      this.changed();
    }
  }

  /** The platform's settlement of a day (close of day). */
  async settlement(day: string): Promise<unknown> {
    try {
      const body = await this.http.request('GET', `/v1/settlement?day=${encodeURIComponent(day)}`, null, this.timeoutMs());
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
    return this.conflictList.list(includeSettled);
  }

  settle(eventId: string, note: string, by: string): ConflictView {
    const v = this.conflictList.settle(eventId, note, by);
    this.changed();
    return v;
  }

  rejected(): RejectedView[] {
    return this.outbox.rejected();
  }
}
