/**
 * IPC between our window and the core: one invoke channel for calls, one send
 * channel for events. The checks themselves live in relay.ts.
 */
import { ipcMain, type BrowserWindow } from 'electron';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../preload/bridge';
import { isEventName } from '../../preload/contract';
import type { CoreHost } from './core-host';
import { makeCallHandler } from './relay';

/** Registers the call relay and forwards core events to the window. Returns a function that undoes both. */
export function registerIpc(getWindow: () => BrowserWindow | null, core: CoreHost): () => void {
  const handle = makeCallHandler({
    ourWebContents: () => {
      const win = getWindow();
      return win && !win.isDestroyed() ? win.webContents : null;
    },
    callCore: (name, input) => core.call(name, input),
  });
  ipcMain.handle(CALL_CHANNEL, (event, name: unknown, input: unknown) => handle(event, name, input));

  const stopEvents = core.onEvent((name, payload) => {
    if (!isEventName(name)) return;
    const win = getWindow();
    if (win && !win.isDestroyed() && !win.webContents.isDestroyed()) {
      win.webContents.send(EVENT_CHANNEL, name, payload);
    }
  });

  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    stopEvents();
  };
}
