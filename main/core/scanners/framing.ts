/**
 * Bytes from a serial scanner → codes. Pure: no port, no clock of its own
 * (the idle timer is injected), so tests drive it with plain buffers.
 *
 * - Reads arrive in any pieces: a code split over several reads is joined,
 *   several codes in one read are split.
 * - A code ends at the configured frame end: CR, LF, CRLF, or, for scanners
 *   that send no suffix, `idleMs` of silence. With a line ending configured,
 *   the other line-break byte is dropped (a scanner set to CRLF read as CR
 *   still works); in idle mode a CR or LF also ends a code.
 * - Anything that is not printable ASCII (binary noise on the line, a wrong
 *   baud rate) is dropped and counted, never passed on and never thrown.
 * - AIM symbology identifiers (`]Q1`, `]d2`, …) and the configured prefix and
 *   suffix are removed.
 */
import { stripAffixes, type FrameEnd } from '../../../preload/api/scanners';

export interface FramingOptions {
  frameEnd: FrameEnd;
  idleMs: number;
  prefix: string;
  suffix: string;
  /** Longest code kept; longer input is dropped (counted as ignored). */
  maxLength?: number;
}

export interface FrameTimer {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimer: FrameTimer = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

const CR = 0x0d;
const LF = 0x0a;
export const MAX_CODE_LENGTH = 16 * 1024;

/** A printable ASCII byte (space to tilde): what a voucher or a barcode is made of. */
export function isPrintable(b: number): boolean {
  return b >= 0x20 && b <= 0x7e;
}

export { stripAffixes };

export class Framer {
  private buf: number[] = [];
  private timer: unknown = null;
  private ignored = 0;
  /** The code being read grew past maxLength: it is dropped whole at its end. */
  private overflow = false;
  private readonly max: number;

  constructor(
    private readonly opts: FramingOptions,
    private readonly onCode: (text: string) => void,
    private readonly clock: FrameTimer = realTimer,
  ) {
    this.max = opts.maxLength ?? MAX_CODE_LENGTH;
  }

  /** Bytes dropped as noise (or overlong input) so far. */
  get ignoredBytes(): number {
    return this.ignored;
  }

  /** Bytes of a code not yet ended. */
  get pendingBytes(): number {
    return this.buf.length;
  }

  /** One read from the port. */
  push(chunk: Uint8Array): void {
    const end = this.opts.frameEnd;
    for (const b of chunk) {
      if (b === CR || b === LF) {
        const ends = end === 'idle' || (end === 'CR' ? b === CR : b === LF);
        if (ends) this.emit();
        // The other line-break byte (the CR of a CRLF read as LF, …) is not noise: drop it quietly.
        continue;
      }
      if (!isPrintable(b)) {
        this.ignored++;
        continue;
      }
      if (this.buf.length >= this.max) {
        this.overflow = true;
        this.ignored++;
        continue;
      }
      this.buf.push(b);
    }
    this.clearTimer();
    if (this.buf.length > 0 && end === 'idle') {
      this.timer = this.clock.set(() => {
        this.timer = null;
        this.emit();
      }, this.opts.idleMs);
    }
  }

  /** The port closed: a code cut off by the unplug is dropped (it would fail verification anyway). */
  reset(): void {
    this.clearTimer();
    this.ignored += this.buf.length;
    this.buf = [];
    this.overflow = false;
  }

  private emit(): void {
    this.clearTimer();
    if (this.buf.length === 0) return;
    if (this.overflow) {
      this.ignored += this.buf.length;
      this.buf = [];
      this.overflow = false;
      return;
    }
    const raw = Buffer.from(this.buf).toString('latin1');
    this.buf = [];
    const text = stripAffixes(raw, this.opts.prefix, this.opts.suffix);
    if (text) this.onCode(text);
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      this.clock.clear(this.timer);
      this.timer = null;
    }
  }
}
