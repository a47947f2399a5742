/**
 * Tells a scan from typing in the one Redeem input.
 *
 * A scan ends in one of three ways:
 *  - Enter or Tab (most keyboard-wedge scanners send one of them): `end()`;
 *  - a paste of a whole code into the empty field: submits at once;
 *  - no suffix at all: when the input falls idle (`idleMs` after the last
 *    character) and the characters arrived at scanner speed (at least
 *    `minChars`, average gap under `maxAvgGapMs`). A person typing, even fast,
 *    never reaches that speed over 8 characters, so a slow typist is never cut
 *    off; they press Enter.
 *
 * Pure: no DOM, the clock is the caller's timestamps and the timer is injected,
 * so tests drive it with virtual time.
 */

export interface BurstOptions {
  /** Quiet time after the last character before a suffix-less scan is submitted. */
  idleMs: number;
  /** Average gap between characters below which they count as scanner input. */
  maxAvgGapMs: number;
  /** Fewest characters for a suffix-less scan. */
  minChars: number;
}

export const DEFAULT_BURST: BurstOptions = { idleMs: 120, maxAvgGapMs: 25, minChars: 8 };

/** How the field's value changed: typed (one key), pasted or dropped, or anything else (IME, autofill). */
export type ChangeKind = 'type' | 'paste' | 'other';

export interface BurstTimer {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realBurstTimer: BurstTimer = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as Parameters<typeof clearTimeout>[0]),
};

/** What a scan submits: surrounding whitespace and the CR/LF scanners add are dropped. */
export function cleanScan(text: string): string {
  return text.trim();
}

/** Maps a DOM InputEvent.inputType to a ChangeKind. */
export function changeKindOf(inputType: string | undefined, composing = false): ChangeKind {
  if (composing) return 'other';
  if (inputType === 'insertFromPaste' || inputType === 'insertFromDrop' || inputType === 'insertFromPasteAsQuotation') {
    return 'paste';
  }
  if (inputType === 'insertText' || inputType === undefined || inputType === '') return 'type';
  return 'other';
}

export class ScanBurst {
  private readonly opts: BurstOptions;
  private prev = '';
  private firstAt = 0;
  private lastAt = 0;
  /** Characters that arrived one at a time since the field was empty. */
  private count = 0;
  /** Set by any edit that is not a one-character append: never auto-submit then. */
  private edited = false;
  private timer: unknown = null;

  constructor(
    private readonly onSubmit: (text: string) => void,
    opts: Partial<BurstOptions> = {},
    private readonly clock: BurstTimer = realBurstTimer,
  ) {
    this.opts = { ...DEFAULT_BURST, ...opts };
  }

  /**
   * The field's value changed to `value` at time `at` (ms, any monotonic clock).
   * Returns true when this change submitted a scan (the caller clears the field).
   */
  change(value: string, at: number, kind: ChangeKind): boolean {
    // A line break inside the value ends the scan (a multi-line paste, a scanner
    // writing CR/LF as characters): submit what came before it.
    const lineEnd = value.search(/[\r\n]/);
    if (lineEnd >= 0) {
      const before = cleanScan(value.slice(0, lineEnd));
      const text = before || cleanScan(value);
      if (text) return this.submit(text);
    }

    if (kind === 'paste' && this.prev === '' && cleanScan(value) !== '') {
      return this.submit(cleanScan(value));
    }

    if (value === '') {
      this.resetState();
      return false;
    }

    if (kind === 'type' && value.length === this.prev.length + 1 && value.startsWith(this.prev)) {
      if (this.count === 0) this.firstAt = at;
      this.count++;
      this.lastAt = at;
    } else {
      this.edited = true;
    }
    this.prev = value;
    this.schedule(value);
    return false;
  }

  /** Enter or Tab with `value` in the field. Returns true when it submitted (prevent the key's default). */
  end(value: string): boolean {
    const text = cleanScan(value);
    if (!text) {
      this.resetState();
      return false;
    }
    return this.submit(text);
  }

  /** The field was cleared or the screen left: forget the burst. */
  reset(): void {
    this.resetState();
  }

  /** True while characters are waiting for the idle check. */
  get pending(): boolean {
    return this.timer !== null;
  }

  private schedule(value: string): void {
    this.clearTimer();
    this.timer = this.clock.set(() => {
      this.timer = null;
      if (this.prev === value && this.isScannerSpeed()) this.submit(cleanScan(value));
    }, this.opts.idleMs);
  }

  private isScannerSpeed(): boolean {
    if (this.edited || this.count < this.opts.minChars || this.count !== this.prev.length) return false;
    const avgGap = (this.lastAt - this.firstAt) / (this.count - 1);
    return avgGap < this.opts.maxAvgGapMs;
  }

  private submit(text: string): boolean {
    this.resetState();
    if (!text) return false;
    this.onSubmit(text);
    return true;
  }

  private resetState(): void {
    this.clearTimer();
    this.prev = '';
    this.count = 0;
    this.firstAt = 0;
    this.lastAt = 0;
    this.edited = false;
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      this.clock.clear(this.timer);
      this.timer = null;
    }
  }
}
