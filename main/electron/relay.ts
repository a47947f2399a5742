/**
 * The checks on every call from the page, before it reaches the core: the
 * sender must be our window showing our page, and the call must match the
 * contract. Kept free of 'electron' so it is unit-tested under Node; ipc.ts
 * plugs it into ipcMain.
 */
import { checkCall, type CallOutcome } from '../../preload/contract';
import { isOurUrl } from './security';

/** The parts of an IpcMainInvokeEvent the checks look at. */
export interface CallSender {
  /** The webContents that sent the call. */
  sender: unknown;
  /** The frame that sent it; null once the frame has gone away. */
  senderFrame: { url: string } | null;
}

export interface RelayDeps {
  /** The webContents of our window, or null when there is none. */
  ourWebContents(): unknown;
  /** Sends a checked call to the core process. */
  callCore(name: string, input: unknown): Promise<CallOutcome<unknown>>;
}

export const FORBIDDEN: CallOutcome<never> = {
  ok: false,
  error: { code: 'api.forbidden', message: 'Calls are accepted only from the VoucherDesk window' },
};

export function senderAllowed(event: CallSender, ours: unknown): boolean {
  return ours !== null && ours !== undefined && event.sender === ours && isOurUrl(event.senderFrame?.url);
}

/** Builds the handler of 'vd:call': check the sender, check the call, relay it, answer its outcome. */
export function makeCallHandler(deps: RelayDeps) {
  return async (event: CallSender, name: unknown, input: unknown): Promise<CallOutcome<unknown>> => {
    if (!senderAllowed(event, deps.ourWebContents())) return FORBIDDEN;
    const checked = checkCall(name, input);
    if (!checked.ok) return checked;
    try {
      return await deps.callCore(checked.name, checked.input);
    } catch {
      return { ok: false, error: { code: 'core.unavailable', message: 'The core process did not answer' } };
    }
  };
}
