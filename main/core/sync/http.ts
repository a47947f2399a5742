/**
 * The HTTP side of sync (docs/spec/sync-protocol.md "Authentication"): one
 * request at a time with the workstation's token, a timeout, the server's
 * clock read from every answer, and failures as SyncError in the words the
 * screens show.
 */
import { SYNC_PROTOCOL_HEADER, SYNC_PROTOCOL_VERSION } from '../../../common/protocol/stock';
import { PROTOCOL_SETTING } from '../catalog/stock';
import type { KeyStore } from '../keystore/keystore';
import type { Context } from '../redeem/redeem';
import type { Settings } from '../settings';

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

/** Retry-After in seconds or as an HTTP date, as ms from now; null when absent or unreadable. */
export function parseRetryAfter(h: string | null, now: number): number | null {
  if (!h) return null;
  if (/^\d+$/.test(h.trim())) return Number(h.trim()) * 1000;
  const at = Date.parse(h);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export class SyncHttp {
  /** Server clock minus this machine's, from the last answer's Date header; null before one. */
  clockOffsetMs: number | null = null;

  constructor(private readonly d: { settings: Settings; keystore: KeyStore; ctx: Context }) {}

  config(): { url: string; deviceId: string } | null {
    const s = this.d.settings.getJson<{ url?: string; deviceId?: string }>('server');
    return s?.url && s.deviceId ? { url: s.url.replace(/\/+$/, ''), deviceId: s.deviceId } : null;
  }

  serverHost(): string {
    try {
      return new URL(this.config()?.url ?? '').host;
    } catch {
      return 'server';
    }
  }

  async request(method: 'GET' | 'POST', path: string, body: string | null, timeoutMs: number): Promise<unknown> {
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
    this.noteProtocol(res.headers.get(SYNC_PROTOCOL_HEADER));
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new SyncError('badResponse');
    }
  }

  /**
   * Whether the server speaks protocol 2 (campaign stock), from every answer's
   * `Sync-Protocol` header, kept in the settings so an offline workstation still
   * knows; an answer without it (an older server) turns allotments off.
   */
  private noteProtocol(header: string | null): void {
    const version = Number(header?.trim());
    const speaks = Number.isInteger(version) && version >= SYNC_PROTOCOL_VERSION ? String(SYNC_PROTOCOL_VERSION) : '1';
    if (this.d.settings.get(PROTOCOL_SETTING) !== speaks) this.d.settings.set(PROTOCOL_SETTING, speaks);
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
}
