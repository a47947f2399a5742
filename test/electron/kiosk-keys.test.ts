import { describe, expect, it } from 'vitest';
import { kioskBlocks, type KeyPress } from '../../common/kiosk/keys';

const press = (key: string, mods: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress => ({ key, ctrl: false, alt: false, shift: false, meta: false, ...mods });

describe('kiosk mode keys (the Electron shell and the page)', () => {
  it.each([
    ['Alt+F4', press('F4', { alt: true })],
    ['Ctrl+W', press('w', { ctrl: true })],
    ['Ctrl+Shift+W', press('W', { ctrl: true, shift: true })],
    ['Ctrl+Q', press('q', { ctrl: true })],
    ['⌘Q', press('q', { meta: true })],
    ['Ctrl+R', press('r', { ctrl: true })],
    ['Ctrl+N', press('n', { ctrl: true })],
    ['Ctrl+T', press('t', { ctrl: true })],
    ['Ctrl+P', press('p', { ctrl: true })],
    ['Ctrl+S', press('s', { ctrl: true })],
    ['Ctrl+Shift+I', press('I', { ctrl: true, shift: true })],
    ['Ctrl+Tab', press('Tab', { ctrl: true })],
    ['Ctrl+=', press('=', { ctrl: true })],
    ['Ctrl+-', press('-', { ctrl: true })],
    ['F5', press('F5')],
    ['F11', press('F11')],
    ['F12', press('F12')],
    ['Alt+←', press('ArrowLeft', { alt: true })],
    ['Alt+Home', press('Home', { alt: true })],
    ['Alt+Space', press(' ', { alt: true })],
    ['Alt+F (the menu)', press('f', { alt: true })],
    ['Alt+0', press('0', { alt: true })],
    ['the browser Back key', press('BrowserBack')],
    ['the context menu key', press('ContextMenu')],
  ])('blocks %s', (_name, p) => {
    expect(kioskBlocks(p)).toBe(true);
  });

  it.each([
    ['Alt+1 (a screen)', press('1', { alt: true })],
    ['Alt+6', press('6', { alt: true })],
    ['Enter', press('Enter')],
    ['Escape (dialogs, the scan box)', press('Escape')],
    ['Tab (a scanner suffix)', press('Tab')],
    ['↑ (units)', press('ArrowUp')],
    ['a typed letter', press('a')],
    ['a scanned capital', press('A', { shift: true })],
    ['a digit', press('7')],
    ['Backspace', press('Backspace')],
    ['Ctrl+C', press('c', { ctrl: true })],
    ['Ctrl+V', press('v', { ctrl: true })],
    ['Ctrl+Shift+Z', press('Z', { ctrl: true, shift: true })],
    ['Ctrl+A', press('a', { ctrl: true })],
    ['Ctrl+←', press('ArrowLeft', { ctrl: true })],
    ['Alt alone', press('Alt', { alt: true })],
    ['Ctrl alone', press('Control', { ctrl: true })],
  ])('leaves %s to the app', (_name, p) => {
    expect(kioskBlocks(p)).toBe(false);
  });
});
