import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/**
 * Event ids: ULIDs, time-ordered and monotonic within a millisecond. The random
 * part comes from the OS CSPRNG through a 4 KiB buffer, so an id costs one
 * buffer read instead of sixteen getRandomValues calls.
 */
function bufferedPrng(): () => number {
  const buf = Buffer.alloc(4096);
  let at = buf.length;
  return () => {
    if (at >= buf.length) {
      randomFillSync(buf);
      at = 0;
    }
    return buf[at++]! / 256;
  };
}

export function idFactory(): (at?: number) => string {
  return monotonicFactory(bufferedPrng());
}
