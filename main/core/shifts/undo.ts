/**
 * The rules of an undo: who may undo a redemption when (a manager within the
 * window after it, `undo.windowMinutes`, default 60; after it only the owner),
 * and the reason it needs, written on the reversal as "<code>" or "<code>: <text>".
 */
import { UNDO_REASONS, type HistoryEntry, type Role, type UndoReason } from '../../../preload/contract';
import { UserError } from '../errors';
import type { Settings } from '../settings';

export const UNDO_WINDOW_SETTING = 'undo.windowMinutes';
export const DEFAULT_UNDO_WINDOW_MINUTES = 60;

export function undoWindowMinutes(settings: Settings): number {
  const n = settings.getNumber(UNDO_WINDOW_SETTING, DEFAULT_UNDO_WINDOW_MINUTES);
  return n >= 0 ? n : DEFAULT_UNDO_WINDOW_MINUTES;
}

/** Until when a manager may undo a redemption made at `at` (ms). */
export function undoUntil(at: number, windowMinutes: number): number {
  return at + windowMinutes * 60_000;
}

/** The role an undo needs at `now` (ms): a manager within the window, the owner after it. */
export function roleToUndo(at: number, now: number, windowMinutes: number): Role {
  return now < undoUntil(at, windowMinutes) ? 'manager' : 'owner';
}

/**
 * The reversal's reason from the counter's answer. Without a code the words
 * alone are the reason (as before reason codes), so they must be there; with
 * `other` too.
 */
export function undoReasonText(code: UndoReason | undefined, text: string): string {
  const words = text.trim();
  if ((code === undefined || code === 'other') && !words) {
    throw new UserError('ledger.reasonRequired', 'Say why the redemption is undone.');
  }
  if (code === undefined) return words;
  return words ? `${code}: ${words}` : code;
}

/** A reversal's reason read back: its code when it starts with one, and the words after it. */
export function parseUndoReason(reason: string | null): { code: UndoReason | null; text: string } {
  const r = reason ?? '';
  const m = /^([a-zA-Z]+)(?::\s?([\s\S]*))?$/.exec(r);
  const code = m && (UNDO_REASONS as readonly string[]).includes(m[1]!) ? (m[1] as UndoReason) : null;
  return code ? { code, text: m![2] ?? '' } : { code: null, text: r };
}

/** A history entry with what the counter shows about undoing: the window's end, or the reason's code. */
export function withUndo(entry: HistoryEntry, reversed: boolean, windowMinutes: number): HistoryEntry {
  if (entry.type === 'redemption') return reversed ? entry : { ...entry, undoUntil: undoUntil(entry.at, windowMinutes) };
  const { code, text } = parseUndoReason(entry.reason);
  return code ? { ...entry, undoReason: { code, text } } : entry;
}
