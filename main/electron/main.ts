/**
 * The Electron app entry (bundled to out/electron/main.cjs): one instance per
 * data dir, the app:// scheme for the renderer, the hardened window, and the
 * core process behind IPC. Everything the product decides lives in the core.
 *
 *   electron . [--data-dir DIR]
 */
import path from 'node:path';
import { app, dialog, Menu, powerMonitor, session, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { startCoreHost, type CoreHost } from './core-host';
import { registerIpc } from './ipc';
import { KioskShell } from './kiosk';
import { installPermissionHandlers } from './permissions';
import { appMenuTemplate } from './security';
import { createMainWindow, hardenAllWebContents } from './window';

/** The app root: out/electron/main.cjs lives two folders down (also inside app.asar). */
const ROOT = path.resolve(__dirname, '..', '..');
const PATHS = {
  renderer: path.join(ROOT, 'out', 'renderer'),
  preload: path.join(ROOT, 'out', 'electron', 'preload.cjs'),
  core: path.join(ROOT, 'out', 'core', 'main.cjs'),
  icon: path.join(ROOT, 'resources', 'icon.png'),
};

/** `--data-dir DIR` or `--data-dir=DIR` from the command line, if given. */
export function dataDirArg(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--data-dir') return argv[i + 1] ?? null;
    if (arg?.startsWith('--data-dir=')) return arg.slice('--data-dir='.length) || null;
  }
  return null;
}

// Before ready: where our data lives (the single-instance lock is per data
// dir, so a second workstation profile or a test can run beside the app),
// and the privileged scheme.
const customDataDir = dataDirArg(process.argv);
if (customDataDir) app.setPath('userData', path.resolve(customDataDir));
// Chromium's own files (cache, local storage) in a subfolder, apart from ours.
app.setPath('sessionData', path.join(app.getPath('userData'), 'chromium'));
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  run();
}

function run(): void {
  let win: BrowserWindow | null = null;
  let core: CoreHost | null = null;
  let coreStopped = false;
  // Kiosk mode (the core's setting): no closing or quitting while the counter is locked.
  const kiosk = new KioskShell();

  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
  hardenAllWebContents(app);

  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (!kiosk.mayQuit()) event.preventDefault();
  });
  app.on('will-quit', (event) => {
    if (!core || coreStopped) return;
    // Let the core finish its last transaction and close the database first.
    event.preventDefault();
    const stopping = core;
    core = null;
    void stopping.stop().finally(() => {
      coreStopped = true;
      app.quit();
    });
  });

  app
    .whenReady()
    .then(async () => {
      const dataDir = app.getPath('userData');
      installPermissionHandlers(session.defaultSession);
      const menu = appMenuTemplate(process.platform, app.isPackaged);
      if (menu) Menu.setApplicationMenu(menu.length ? Menu.buildFromTemplate(menu as MenuItemConstructorOptions[]) : null);
      serveRenderer(PATHS.renderer);
      core = await startCoreHost({ entry: PATHS.core, dataDir, window: () => win });
      registerIpc(() => win, core);
      win = createMainWindow({ preload: PATHS.preload, icon: PATHS.icon, packaged: app.isPackaged });
      kiosk.attach(win);
      kiosk.follow(core);
      powerMonitor.on('shutdown', () => kiosk.systemExiting());
      win.on('closed', () => {
        win = null;
      });
    })
    .catch((error: unknown) => {
      dialog.showErrorBox('VoucherDesk', `VoucherDesk could not start: ${error instanceof Error ? error.message : String(error)}`);
      app.exit(1);
    });
}
