/**
 * The typed API the screens use, over whichever transport is there:
 * - Electron: the preload's `window.voucherdesk` bridge;
 * - the browser host: `POST /api/call` and one Server-Sent Events stream,
 *   authorised by the per-run secret from the page's `?key=`.
 *
 * A failed outcome throws `ApiError(code, message, params)`.
 */
import {
  ApiError,
  EVENT_NAMES,
  type CallError,
  type CallName,
  type CallOutcome,
  type ErrorCode,
  type EventName,
  type VoucherDeskApi,
  type VoucherDeskBridge,
} from '../../preload/contract';

declare global {
  interface Window {
    voucherdesk?: VoucherDeskBridge;
  }
}

const KEY_STORAGE = 'voucherdesk.hostKey';

export function createApi(): VoucherDeskApi {
  return apiOverBridge(window.voucherdesk ?? createHttpBridge(readHostKey()));
}

export function apiOverBridge(bridge: VoucherDeskBridge): VoucherDeskApi {
  return {
    async call(name, input) {
      let outcome: CallOutcome<unknown>;
      try {
        outcome = await bridge.call(name, input);
      } catch (e) {
        throw new ApiError('core.stopped', e instanceof Error ? e.message : 'The call failed');
      }
      if (outcome.ok) return outcome.value as never;
      const { code, message, params } = outcome.error;
      throw new ApiError(code, message, params ?? {});
    },
    on(event, fn) {
      return bridge.on(event, fn as (payload: unknown) => void);
    },
  };
}

/**
 * The browser host's secret: taken from `?key=` once, kept in sessionStorage so
 * a reload works, and removed from the visible address.
 */
export function readHostKey(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('key');
  if (fromUrl) {
    try {
      sessionStorage.setItem(KEY_STORAGE, fromUrl);
    } catch {
      // Storage disabled: the key still works until the page reloads.
    }
    url.searchParams.delete('key');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  try {
    return sessionStorage.getItem(KEY_STORAGE) ?? '';
  } catch {
    return '';
  }
}

function failure(code: ErrorCode, message: string): CallOutcome<never> {
  return { ok: false, error: { code, message } satisfies CallError };
}

function isOutcome(v: unknown): v is CallOutcome<unknown> {
  if (!v || typeof v !== 'object') return false;
  const o = v as { ok?: unknown; error?: { code?: unknown } };
  return o.ok === true || (o.ok === false && typeof o.error?.code === 'string');
}

export function createHttpBridge(key: string): VoucherDeskBridge {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let source: EventSource | null = null;

  function openEvents(): void {
    if (source) return;
    source = new EventSource(`/api/events?key=${encodeURIComponent(key)}`);
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (ev) => {
        let payload: unknown = null;
        try {
          payload = JSON.parse((ev as MessageEvent<string>).data);
        } catch {
          return;
        }
        for (const fn of [...(listeners.get(name) ?? [])]) fn(payload);
      });
    }
  }

  return {
    async call(name: CallName, input: unknown) {
      let res: Response;
      try {
        res = await fetch('/api/call', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ name, input }),
          cache: 'no-store',
        });
      } catch {
        return failure('host.unreachable', 'The VoucherDesk host cannot be reached');
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        body = undefined;
      }
      if (isOutcome(body)) return body;
      if (res.status === 401 || res.status === 403) return failure('api.forbidden', 'Access refused by the host');
      return failure('host.unreachable', `Unexpected answer from the host (HTTP ${res.status})`);
    },
    on(event: EventName, fn: (payload: unknown) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(fn);
      openEvents();
      return () => {
        set.delete(fn);
      };
    },
  };
}
