/**
 * The main window, with the secure defaults of the Electron checklist, and the
 * navigation rules applied to every webContents the app ever creates.
 */
import fs from 'node:fs';
import { BrowserWindow, type App, type WebContents } from 'electron';
import { APP_START_URL, devToolsAllowed, isOurUrl } from './security';

export const WINDOW_TITLE = 'VoucherDesk';

const hardened = new WeakSet<WebContents>();

/** No navigation away from our origin, no new windows, no <webview>. Idempotent. */
export function hardenWebContents(contents: WebContents): void {
  if (hardened.has(contents)) return;
  hardened.add(contents);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => {
    if (!isOurUrl(event.url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isOurUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isOurUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Applies hardenWebContents to every webContents, including any we did not create ourselves. */
export function hardenAllWebContents(app: App): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}

export function createMainWindow(opts: { preload: string; icon?: string; packaged: boolean }): BrowserWindow {
  const win = new BrowserWindow({
    title: WINDOW_TITLE,
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#f6f7f9',
    autoHideMenuBar: true,
    ...(opts.icon && fs.existsSync(opts.icon) ? { icon: opts.icon } : {}),
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: devToolsAllowed(opts.packaged),
      preload: opts.preload,
    },
  });
  hardenWebContents(win.webContents);
  // The title stays "VoucherDesk" whatever the page's <title> says.
  win.on('page-title-updated', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_START_URL);
  return win;
}
