/**
 * The Electron shell's kiosk mode under Node, with a fake window: it follows the
 * core's state (kiosk.get at start, then kiosk.changed), holds the window full
 * screen without a menu, refuses to close or quit while locked, drops the keys
 * kiosk mode takes away, and lets the OS shut down. (The real window is driven in
 * kiosk-app.test.ts where the Electron runtime is installed.)
 */
import type { Input } from 'electron';
import { describe, expect, it } from 'vitest';
import { KioskShell, type KioskSource, type KioskWindow } from '../../main/electron/kiosk';
import type { CallOutcome, EventName, KioskState } from '../../preload/contract';

class FakeWindow implements KioskWindow {
  kiosk = false;
  closable = true;
  minimizable = true;
  autoHideMenuBar = true;
  menuBarVisible = false;
  destroyed = false;
  private readonly listeners = new Map<string, ((...args: never[]) => void)[]>();
  readonly webContents = {
    on: (event: 'before-input-event', fn: (event: { preventDefault(): void }, input: Input) => void) => this.add(`wc:${event}`, fn),
  };

  isDestroyed = () => this.destroyed;
  setKiosk = (v: boolean) => void (this.kiosk = v);
  setClosable = (v: boolean) => void (this.closable = v);
  setMinimizable = (v: boolean) => void (this.minimizable = v);
  setMenuBarVisibility = (v: boolean) => void (this.menuBarVisible = v);
  setAutoHideMenuBar = (v: boolean) => void (this.autoHideMenuBar = v);
  on(event: 'close' | 'session-end', fn: (event: { preventDefault(): void }) => void) {
    return this.add(event, fn);
  }

  private add(name: string, fn: (...args: never[]) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
    return this;
  }

  /** Emits `name` with a preventable event; answers whether a listener prevented it. */
  emit(name: string, ...rest: unknown[]): boolean {
    let prevented = false;
    const event = { preventDefault: () => void (prevented = true) };
    for (const fn of this.listeners.get(name) ?? []) (fn as (...a: unknown[]) => void)(event, ...rest);
    return prevented;
  }

  tryClose = () => !this.emit('close');
  /** Whether a key press reaches the page (and the menu). */
  keyReaches = (key: string, mods: Partial<Pick<Input, 'control' | 'alt' | 'shift' | 'meta'>> = {}) =>
    !this.emit('wc:before-input-event', { type: 'keyDown', key, code: '', control: false, alt: false, shift: false, meta: false, ...mods } as Input);
}

/** A core that answers kiosk.get and can announce kiosk.changed. */
function fakeCore(initial: KioskState) {
  const listeners: ((name: EventName, payload: unknown) => void)[] = [];
  const core: KioskSource = {
    call: (name) => Promise.resolve<CallOutcome<unknown>>(name === 'kiosk.get' ? { ok: true, value: initial } : { ok: false, error: { code: 'api.unknownCall', message: '' } }),
    onEvent: (fn) => {
      listeners.push(fn);
      return () => listeners.splice(listeners.indexOf(fn), 1);
    },
  };
  return { core, announce: (state: KioskState) => listeners.forEach((fn) => fn('kiosk.changed', state)) };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the Electron shell in kiosk mode', () => {
  it('an unlocked window closes, quits and keeps every key, as before', async () => {
    const win = new FakeWindow();
    const shell = new KioskShell();
    shell.attach(win);
    shell.follow(fakeCore({ enabled: false, locked: false }).core);
    await settle();
    expect(win.kiosk).toBe(false);
    expect(win.autoHideMenuBar).toBe(true);
    expect(win.tryClose()).toBe(true);
    expect(shell.mayQuit()).toBe(true);
    expect(win.keyReaches('w', { control: true })).toBe(true);
    expect(win.keyReaches('F5')).toBe(true);
  });

  it('locked by the core at start: full screen, no menu, no close (button or Alt+F4), no quit, the keys dropped', async () => {
    const win = new FakeWindow();
    const shell = new KioskShell();
    shell.attach(win);
    shell.follow(fakeCore({ enabled: true, locked: true }).core);
    await settle();
    expect(win).toMatchObject({ kiosk: true, closable: false, minimizable: false, autoHideMenuBar: false, menuBarVisible: false });
    expect(win.tryClose()).toBe(false);
    expect(shell.mayQuit()).toBe(false);
    for (const [key, mods] of [
      ['F4', { alt: true }],
      ['w', { control: true }],
      ['q', { control: true }],
      ['q', { meta: true }],
      ['r', { control: true }],
      ['I', { control: true, shift: true }],
      ['F11', {}],
      ['ArrowLeft', { alt: true }],
    ] as const) {
      expect(win.keyReaches(key, mods), `${key} ${JSON.stringify(mods)}`).toBe(false);
    }
    // The counter's own keys still reach the page.
    expect(win.keyReaches('2', { alt: true })).toBe(true);
    expect(win.keyReaches('Enter')).toBe(true);
    expect(win.keyReaches('Escape')).toBe(true);
    expect(win.keyReaches('v', { control: true })).toBe(true);
  });

  it('follows kiosk.changed: a manager lets it out, resuming locks it again', async () => {
    const win = new FakeWindow();
    const shell = new KioskShell();
    shell.attach(win);
    const { core, announce } = fakeCore({ enabled: true, locked: true });
    shell.follow(core);
    await settle();
    announce({ enabled: true, locked: false });
    expect(win.kiosk).toBe(false);
    expect(win.closable).toBe(true);
    expect(win.autoHideMenuBar).toBe(true);
    expect(win.tryClose()).toBe(true);
    expect(win.keyReaches('w', { control: true })).toBe(true);
    announce({ enabled: true, locked: true });
    expect(win.kiosk).toBe(true);
    expect(win.tryClose()).toBe(false);
  });

  it('the state may come before the window: it is applied when the window is attached', () => {
    const shell = new KioskShell();
    shell.apply({ enabled: true, locked: true });
    const win = new FakeWindow();
    shell.attach(win);
    expect(win.kiosk).toBe(true);
    expect(win.tryClose()).toBe(false);
  });

  it('the OS logging off or shutting down is never held up', () => {
    const win = new FakeWindow();
    const shell = new KioskShell();
    shell.attach(win);
    shell.apply({ enabled: true, locked: true });
    expect(win.tryClose()).toBe(false);
    win.emit('session-end');
    expect(win.tryClose()).toBe(true);
    expect(shell.mayQuit()).toBe(true);
  });
});
