/**
 * "The same code read again within 3 s counts once": a customer holds the
 * phone up while the camera reads it many times a second.
 *
 * The window slides: a code counts again only after it has NOT been seen for
 * `windowMs` (so a phone held up for ten seconds is one scan, not four). A
 * different code counts at once and becomes the one remembered.
 */
export const SAME_CODE_WINDOW_MS = 3000;

export class RepeatFilter {
  private last: string | null = null;
  private lastSeen = -Infinity;

  constructor(private readonly windowMs = SAME_CODE_WINDOW_MS) {}

  /** A code was read at `now` (ms): true when it should be processed. */
  accept(text: string, now: number): boolean {
    const repeat = text === this.last && now - this.lastSeen < this.windowMs;
    this.last = text;
    this.lastSeen = now;
    return !repeat;
  }

  /** Forget the last code (the camera was turned off). */
  reset(): void {
    this.last = null;
    this.lastSeen = -Infinity;
  }
}
