import { describe, expect, it } from 'vitest';
import { Framer, stripAffixes, type FrameTimer, type FramingOptions } from '../../main/core/scanners/framing';

/** A timer driven by hand: `tick()` fires what is due. */
function virtualTimer() {
  let now = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  const timer: FrameTimer = {
    set: (fn, ms) => {
      const id = next++;
      due.set(id, { at: now + ms, fn });
      return id;
    },
    clear: (h) => void due.delete(h as number),
  };
  return {
    timer,
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...due]) {
        if (t.at <= now) {
          due.delete(id);
          t.fn();
        }
      }
    },
    pending: () => due.size,
  };
}

function framer(opts: Partial<FramingOptions> = {}) {
  const codes: string[] = [];
  const clock = virtualTimer();
  const f = new Framer({ frameEnd: 'CR', idleMs: 50, prefix: '', suffix: '', ...opts }, (t) => codes.push(t), clock.timer);
  const push = (s: string | number[]) => f.push(typeof s === 'string' ? Buffer.from(s, 'latin1') : Buffer.from(s));
  return { f, codes, clock, push };
}

const V1 = 'GBV1:eyJhbGciOiJFQ0RILUVTIn0..abc.def-ghi_jkl';
const V2 = 'GBV1:eyJ6aXAiOiJERUYifQ..xyz.uvw';

describe('serial framing', () => {
  it('ends codes at CR, LF or CRLF as configured, dropping the other line byte', () => {
    for (const [frameEnd, sep] of [
      ['CR', '\r'],
      ['LF', '\n'],
      ['CRLF', '\r\n'],
    ] as const) {
      const { codes, push } = framer({ frameEnd });
      push(`${V1}${sep}${V2}${sep}`);
      expect(codes, frameEnd).toEqual([V1, V2]);
    }
    // A scanner sending CRLF while CR is configured still gives clean codes.
    const { codes, push } = framer({ frameEnd: 'CR' });
    push(`${V1}\r\n${V2}\r\n`);
    expect(codes).toEqual([V1, V2]);
  });

  it('joins partial reads and splits two codes in one read', () => {
    const { codes, push } = framer({ frameEnd: 'CRLF' });
    push(V1.slice(0, 7));
    push(V1.slice(7, 20));
    expect(codes).toEqual([]);
    push(V1.slice(20) + '\r');
    expect(codes).toEqual([]);
    push('\n' + V2 + '\r\n' + V1 + '\r\n');
    expect(codes).toEqual([V1, V2, V1]);
  });

  it('ends a suffix-less code after the idle time, not before', () => {
    const { codes, push, clock } = framer({ frameEnd: 'idle', idleMs: 50 });
    push(V1.slice(0, 10));
    clock.advance(40);
    push(V1.slice(10));
    clock.advance(40);
    expect(codes).toEqual([]);
    clock.advance(10);
    expect(codes).toEqual([V1]);
    expect(clock.pending()).toBe(0);
  });

  it('drops binary noise byte by byte, counts it, and never throws', () => {
    const { f, codes, push } = framer({ frameEnd: 'CR' });
    push([0x00, 0xff, 0x1b, 0x80, 0x07]);
    push(V1 + '\r');
    push([0xfe, 0x01, 0x0d, 0x0d, 0x9c]);
    push(V2 + '\r');
    expect(codes).toEqual([V1, V2]);
    expect(f.ignoredBytes).toBe(8); // CR bytes are line ends, not noise
    // Every possible byte, in random pieces: nothing thrown, only printable text passed on.
    const all = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    for (let i = 0; i < all.length; i += 13) f.push(all.subarray(i, i + 13));
    for (const c of codes) expect(c).toMatch(/^[\x20-\x7e]+$/);
  });

  it('drops a code that grows past the longest allowed, whole', () => {
    const { f, codes, push } = framer({ frameEnd: 'CR', maxLength: 16 });
    push('A'.repeat(40) + '\r' + 'short\r');
    expect(codes).toEqual(['short']);
    expect(f.ignoredBytes).toBe(40);
  });

  it('removes AIM symbology identifiers and the configured prefix and suffix', () => {
    expect(stripAffixes(`]Q1${V1}`, '', '')).toBe(V1);
    expect(stripAffixes(`]d2${V1}`, '', '')).toBe(V1);
    expect(stripAffixes(`#${V1}!`, '#', '!')).toBe(V1);
    expect(stripAffixes(`]Q1#${V1}!`, '#', '!')).toBe(V1);
    expect(stripAffixes(`  ${V1} `, '', '')).toBe(V1);
    // A prefix that is not there changes nothing.
    expect(stripAffixes(V1, 'XX', 'YY')).toBe(V1);
    const { codes, push } = framer({ frameEnd: 'LF', prefix: 'STX', suffix: 'ETX' });
    push(`]Q1STX${V1}ETX\n`);
    expect(codes).toEqual([V1]);
  });
});
