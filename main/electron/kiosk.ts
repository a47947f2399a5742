/**
 * Kiosk mode in the shell: while the core says the counter is locked, the
 * window is full screen (BrowserWindow kiosk), has no menu, cannot be closed
 * (close button, Alt+F4) and the app cannot quit (Ctrl+Q, ⌘Q); the keys that
 * would reload, navigate or open the developer tools are dropped before the page
 * or a menu accelerator sees them. A manager's `kiosk.leave` frees it. The OS
 * shutting down is never held up.
 *
 * Only types from 'electron' here: the rules are tested under Node with a fake window.
 */
import type { Input } from 'electron';
import { kioskBlocks } from '../../common/kiosk/keys';
import type { CallOutcome, EventName, KioskState } from '../../preload/contract';

/** The parts of a BrowserWindow kiosk mode uses. */
export interface KioskWindow {
  isDestroyed(): boolean;
  setKiosk(flag: boolean): void;
  setClosable(closable: boolean): void;
  setMinimizable(minimizable: boolean): void;
  setMenuBarVisibility(visible: boolean): void;
  setAutoHideMenuBar(hide: boolean): void;
  on(event: 'close' | 'session-end', listener: (event: { preventDefault(): void }) => void): unknown;
  webContents: { on(event: 'before-input-event', listener: (event: { preventDefault(): void }, input: Input) => void): unknown };
}

/** The core as the shell reaches it (the CoreSupervisor). */
export interface KioskSource {
  call(name: string, input: unknown): Promise<CallOutcome<unknown>>;
  onEvent(fn: (name: EventName, payload: unknown) => void): () => void;
}

export class KioskShell {
  private locked = false;
  private systemExit = false;
  private win: KioskWindow | null = null;

  /** Whether the window is held full screen now. */
  get isLocked(): boolean {
    return this.locked && !this.systemExit;
  }

  /** Guards the window: its close, its keys; and applies the state known so far. */
  attach(win: KioskWindow): void {
    this.win = win;
    win.on('close', (event) => {
      if (this.isLocked) event.preventDefault();
    });
    win.on('session-end', () => this.systemExiting()); // Windows logging off or shutting down
    win.webContents.on('before-input-event', (event, input) => {
      if (!this.isLocked || input.type !== 'keyDown') return;
      if (kioskBlocks({ key: input.key, ctrl: input.control, alt: input.alt, shift: input.shift, meta: input.meta })) event.preventDefault();
    });
    this.applyToWindow();
  }

  /** The core's answer (kiosk.get, kiosk.changed). */
  apply(state: KioskState): void {
    if (state.locked === this.locked) return;
    this.locked = state.locked;
    this.applyToWindow();
  }

  /** For app 'before-quit': false while locked (Ctrl+Q, ⌘Q, the dock's Quit). */
  mayQuit(): boolean {
    return !this.isLocked;
  }

  /** The OS is shutting down or the session ends: let everything close. */
  systemExiting(): void {
    this.systemExit = true;
  }

  /** Learns the state from the core now and follows its kiosk.changed events; returns the unsubscribe. */
  follow(core: KioskSource): () => void {
    const stop = core.onEvent((name, payload) => {
      if (name === 'kiosk.changed') this.apply(payload as KioskState);
    });
    void core.call('kiosk.get', {}).then(
      (out) => {
        if (out.ok) this.apply(out.value as KioskState);
      },
      () => {},
    );
    return stop;
  }

  private applyToWindow(): void {
    const win = this.win;
    if (!win || win.isDestroyed()) return;
    const locked = this.isLocked;
    win.setKiosk(locked);
    win.setClosable(!locked);
    win.setMinimizable(!locked);
    // The menu bar stays hidden; while locked Alt does not show it either (unlocked, Alt shows it as
    // before). Its accelerators are dropped with the keys.
    win.setAutoHideMenuBar(!locked);
    win.setMenuBarVisibility(false);
  }
}
