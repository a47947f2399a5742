/**
 * The keyboard shortcuts the Help screen lists: the ones the code really has
 * (App.tsx's Alt+1…N over TopBar's TABS, the scan box, the dialogs, the units
 * question, the scanners, kiosk mode). Each is the keys and a 'help' string key.
 */
import { TABS } from '../components/TopBar';
import type { Tab } from '../context';

export interface Shortcut {
  /** The keys as printed on them; a 'help' string key when `wordy` (a scanner is no key). */
  keys: string;
  wordy?: boolean;
  /** A key in the 'help' namespace (`shortcuts.<what>`), or a screen for Alt+N. */
  what: string;
  tab?: Tab;
}

export function shortcuts(): Shortcut[] {
  return [
    ...TABS.map((tab, i) => ({ keys: `Alt+${i + 1}`, what: 'shortcuts.tab', tab })),
    { keys: 'Enter', what: 'shortcuts.enter' },
    { keys: 'Esc', what: 'shortcuts.escape' },
    { keys: '↑ ↓', what: 'shortcuts.arrows' },
    { keys: 'Tab', what: 'shortcuts.tabKey' },
    { keys: 'A–Z 0–9', what: 'shortcuts.typing' },
    { keys: 'shortcuts.scannerKeys', wordy: true, what: 'shortcuts.scanner' },
    { keys: 'F5 F11 F12 Ctrl+W Ctrl+Q Alt+F4', what: 'shortcuts.kiosk' },
  ];
}
