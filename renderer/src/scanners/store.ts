/**
 * What the scanner parts of the renderer share: the scanner settings and the
 * serial reader's state (from the core), the last code read (its length and
 * kind only, never its text), and the one entry point every scan from outside
 * the Redeem input goes through (the serial reader, the keyboard wedge, the
 * camera): the Redeem screen's own scan handler.
 */
import { useSyncExternalStore } from 'react';
import { undoCapsLock } from '../scan/caps-lock';
import { codeSummary, stripAffixes, type CodeSummary, type ScannersStatus, type ScannerState } from '../../../preload/contract';

export type ScanSource = 'serial' | 'keyboard' | 'camera';

export interface ScannersView {
  status: ScannersStatus | null;
  /** The last code read by each source: length and kind only. */
  last: Partial<Record<ScanSource, CodeSummary>>;
}

let view: ScannersView = { status: null, last: {} };
const listeners = new Set<() => void>();
const scanHandlers = new Set<(text: string) => void>();

function update(next: ScannersView): void {
  view = next;
  for (const fn of listeners) fn();
}

function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  return () => void listeners.delete(fn);
}

export function useScanners(): ScannersView {
  return useSyncExternalStore(subscribe, () => view);
}

export function scannersView(): ScannersView {
  return view;
}

/** Takes a status from a call's answer; a serial state older than one already seen (from an event) is kept out. */
export function setScannersStatus(status: ScannersStatus): void {
  const known = view.status?.serial;
  update({ ...view, status: known && known.seq > status.serial.seq ? { ...status, serial: known } : status });
}

export function setSerialState(serial: ScannerState): void {
  if (view.status && view.status.serial.seq <= serial.seq) update({ ...view, status: { ...view.status, serial } });
}

/** Notes a code read by a source that hands its scans to the Redeem screen itself (the camera panel): length and kind only. */
export function noteScan(source: ScanSource, text: string): void {
  noteCode(source, text);
}

function noteCode(source: ScanSource, text: string): void {
  update({ ...view, last: { ...view.last, [source]: codeSummary(text, Date.now()) } });
}

/**
 * A keyboard scan (the Redeem input or a burst elsewhere): the wedge's
 * programmed prefix/suffix and any AIM identifier removed, a voucher typed
 * with Caps Lock on put back in its own case (scan/caps-lock.ts), and noted
 * as the last keyboard code.
 */
export function keyboardScan(raw: string): string {
  const wedge = view.status?.config.wedge;
  const text = undoCapsLock(stripAffixes(raw, wedge?.prefix ?? '', wedge?.suffix ?? ''));
  if (text) noteCode('keyboard', text);
  return text;
}

/** The Redeem screen registers its scan handler here (one handler: the screen is always mounted). */
export function onExternalScan(fn: (text: string) => void): () => void {
  scanHandlers.add(fn);
  return () => void scanHandlers.delete(fn);
}

/** Panels that take every scan for a while (the staff sign-in, a manager's approval): the last one opened has them. */
const captures: ((text: string) => void)[] = [];

/** While the returned function is not called, scans from outside go to `fn` (a staff badge), not to the Redeem screen. */
export function captureScans(fn: (text: string) => void): () => void {
  captures.push(fn);
  return () => {
    const i = captures.lastIndexOf(fn);
    if (i >= 0) captures.splice(i, 1);
  };
}

/** A panel is taking the scans (the serial reader then leaves the screen as it is). */
export function scansCaptured(): boolean {
  return captures.length > 0;
}

/**
 * A scan from outside the Redeem input goes through the Redeem screen's
 * own flow (verify, PIN/units/amount questions, verdict, sound), or to the
 * panel capturing scans. Returns false when nothing is there to take it.
 */
export function submitExternalScan(text: string, source: ScanSource): boolean {
  if (source !== 'keyboard') noteCode(source, text);
  const capture = captures[captures.length - 1];
  if (capture) {
    capture(text);
    return true;
  }
  for (const fn of scanHandlers) fn(text);
  return scanHandlers.size > 0;
}
