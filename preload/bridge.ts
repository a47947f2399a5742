/**
 * The object preload puts on `window.voucherdesk`, built over a minimal
 * ipcRenderer-like interface so it can be unit-tested without Electron.
 * It only ever exposes `call` and `on` for the contract's names; ipcRenderer
 * itself never reaches the page.
 */
import { isCallName, isEventName, type CallOutcome, type VoucherDeskBridge } from './contract';

/** The IPC channels between preload and the main process (one place for both sides). */
export const CALL_CHANNEL = 'vd:call';
export const EVENT_CHANNEL = 'vd:event';

type EventListener = (event: unknown, name: unknown, payload: unknown) => void;

/** The three ipcRenderer methods the bridge uses. */
export interface IpcLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: EventListener): unknown;
  removeListener(channel: string, listener: EventListener): unknown;
}

export function createBridge(ipc: IpcLike): VoucherDeskBridge {
  return {
    async call(name, input) {
      if (!isCallName(name)) {
        return { ok: false, error: { code: 'api.unknownCall', message: 'Unknown call' } };
      }
      try {
        return (await ipc.invoke(CALL_CHANNEL, name, input)) as CallOutcome<unknown>;
      } catch {
        // For example an input that cannot be cloned (a function, a DOM node).
        return { ok: false, error: { code: 'api.badInput', message: `The input of ${name} could not be sent`, params: { call: name } } };
      }
    },
    on(event, fn) {
      if (!isEventName(event)) throw new TypeError(`Unknown event: ${String(event)}`);
      if (typeof fn !== 'function') throw new TypeError('The listener must be a function');
      const listener: EventListener = (_event, name, payload) => {
        if (name === event) fn(payload);
      };
      ipc.on(EVENT_CHANNEL, listener);
      return () => {
        ipc.removeListener(EVENT_CHANNEL, listener);
      };
    },
  };
}
