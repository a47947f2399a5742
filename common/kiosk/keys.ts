/**
 * The keys kiosk mode takes away from whoever is at the counter: the ones that
 * reload, close, quit, leave full screen, navigate, print, save, zoom or open the
 * developer tools. The app's own keys stay: Alt+1…9 for the screens, Enter, Esc,
 * Tab, the arrows, typing and editing (Ctrl+C, V, X, A, Z, Y).
 *
 * One rule for the Electron shell (`before-input-event`, which also stops menu
 * accelerators) and the page in a browser (`keydown`, for the keys a browser lets
 * a page have), so both lock the same keys.
 */

/** A key press as both sides see it (Electron's Input and the DOM's KeyboardEvent name keys alike). */
export interface KeyPress {
  /** KeyboardEvent.key: 'w', 'F4', 'ArrowLeft', 'Enter'… */
  key: string;
  ctrl: boolean;
  alt: boolean;
  shift: boolean;
  meta: boolean;
}

const MODIFIERS = new Set(['Control', 'Shift', 'Alt', 'AltGraph', 'Meta', 'OS', 'CapsLock']);
/** With Ctrl (or ⌘): copy, paste, cut, select all, undo, redo, and moving or deleting by word. */
const EDITING_WITH_CTRL = new Set(['c', 'v', 'x', 'a', 'z', 'y', 'arrowleft', 'arrowright', 'arrowup', 'arrowdown', 'backspace', 'delete', 'home', 'end']);
/** Keys that act on the browser or the window whatever the modifiers. */
const ALWAYS_BLOCKED = new Set(['BrowserBack', 'BrowserForward', 'BrowserRefresh', 'BrowserHome', 'BrowserSearch', 'BrowserFavorites', 'BrowserStop', 'ContextMenu', 'Print', 'Help', 'Close', 'Save', 'Open', 'New']);

/** True when kiosk mode keeps this key press from the browser, the window and the page. */
export function kioskBlocks(press: KeyPress): boolean {
  const { key } = press;
  if (MODIFIERS.has(key)) return false;
  if (/^F\d{1,2}$/.test(key) || ALWAYS_BLOCKED.has(key)) return true; // reload, full screen, devtools, caret browsing…
  if (press.ctrl || press.meta) return !EDITING_WITH_CTRL.has(key.toLowerCase()); // close, quit, new window, reload, print, zoom…
  if (press.alt) return !/^[1-9]$/.test(key); // Alt+F4, Alt+←/→, Alt+Space, the menu's Alt+letter; Alt+1…9 are the screens
  return false;
}
