/**
 * Keyboard-wedge scanners when the focus is not in the Redeem input: a scanner
 * "types" a whole code within a few milliseconds, a person does not. Keys
 * pressed while a button or the page has focus are watched; a burst at scanner
 * speed (at least `minChars` characters, average gap under `maxAvgGapMs`) that
 * ends with Enter/Tab, or falls idle, is a scan. A pause longer than
 * `maxGapMs` starts over, so a slow typist never builds up a "scan".
 *
 * Once a burst is plainly a scanner's (`CONSUME_AFTER` characters at scanner
 * speed, or a voucher's prefix `GBV1:`/`GBV2:` typed without a pause), its
 * further keys are consumed: a GBV2 code (Base45) holds spaces, and a space
 * typed on a focused button or checkbox would press it, or scroll the page.
 * No voucher has a space among its first characters.
 *
 * Pure: the caller gives the keys and their timestamps; the idle timer is
 * scan/burst.ts's (reused), injectable for tests.
 */
import { DEFAULT_BURST, ScanBurst, realBurstTimer, type BurstOptions, type BurstTimer } from '../scan/burst';

export interface WedgeOptions extends BurstOptions {
  /** A gap longer than this between two keys starts a new burst. */
  maxGapMs: number;
}

/**
 * Outside the Redeem input nothing else is typed at that speed, so the wedge
 * waits longer before ending a suffix-less scan: a busy machine that stalls
 * the page for a moment mid-scan must not cut the code in two.
 */
export const DEFAULT_WEDGE: WedgeOptions = { ...DEFAULT_BURST, idleMs: 250, maxGapMs: 200 };

/** What the caller does with the key: `consume` = prevent its default (the Enter that ended a scan must not click the button). */
export type WedgeAnswer = 'consume' | 'pass';

/** Characters at scanner speed after which a burst's keys no longer reach the page. */
export const CONSUME_AFTER = 4;

/** A voucher's prefix (either case: Caps Lock flips a wedge's letters). */
const VOUCHER_START = /^gbv[12]:/i;

export class WedgeDetector {
  private readonly opts: WedgeOptions;
  private readonly burst: ScanBurst;
  private buffer = '';
  private firstAt = 0;
  private lastAt = 0;

  constructor(onScan: (text: string) => void, opts: Partial<WedgeOptions> = {}, timer: BurstTimer = realBurstTimer) {
    this.opts = { ...DEFAULT_WEDGE, ...opts };
    this.burst = new ScanBurst(
      (text) => {
        this.clear();
        onScan(text);
      },
      { idleMs: this.opts.idleMs, maxAvgGapMs: this.opts.maxAvgGapMs, minChars: this.opts.minChars },
      timer,
    );
  }

  /** A keydown (`key` as in KeyboardEvent.key) at time `at` (ms). */
  key(key: string, at: number): WedgeAnswer {
    if (key === 'Enter' || key === 'Tab') {
      if (this.atScannerSpeed(at)) {
        this.burst.end(this.buffer);
        return 'consume';
      }
      this.reset();
      return 'pass';
    }
    if (key.length !== 1) {
      // Shift and the like come with scanned capitals; anything else (arrows, Escape) is a person.
      if (key !== 'Shift' && key !== 'CapsLock') this.reset();
      return 'pass';
    }
    if (this.buffer && at - this.lastAt > this.opts.maxGapMs) this.reset();
    if (!this.buffer) this.firstAt = at;
    this.buffer += key;
    this.lastAt = at;
    this.burst.change(this.buffer, at, 'type');
    return this.isScannerBurst() || VOUCHER_START.test(this.buffer) ? 'consume' : 'pass';
  }

  /** Focus moved into a text field, a dialog opened, the window lost focus: forget the burst. */
  reset(): void {
    this.burst.reset();
    this.clear();
  }

  /** Characters of the burst so far. */
  get pendingChars(): number {
    return this.buffer.length;
  }

  /** The keys so far are plainly a scanner's: enough of them, at scanner speed. */
  private isScannerBurst(): boolean {
    const n = this.buffer.length;
    return n >= CONSUME_AFTER && (this.lastAt - this.firstAt) / (n - 1) < this.opts.maxAvgGapMs;
  }

  private atScannerSpeed(at: number): boolean {
    const n = this.buffer.length;
    if (n < this.opts.minChars || at - this.lastAt > this.opts.maxGapMs) return false;
    return (this.lastAt - this.firstAt) / (n - 1) < this.opts.maxAvgGapMs;
  }

  private clear(): void {
    this.buffer = '';
    this.firstAt = 0;
    this.lastAt = 0;
  }
}
