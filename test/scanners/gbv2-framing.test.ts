/**
 * GBV2 codes (Base45: spaces and `$ % * + - . / :`) through the serial
 * reader's framing: every frame end (CR, LF, CRLF, idle pause), reads cut
 * anywhere, a scanner's AIM identifier and programmed prefix/suffix. The texts
 * are the real ones of the GBV2 conformance vectors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Framer, type FrameTimer, type FramingOptions } from '../../main/core/scanners/framing';

const VECTORS = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'vectors-v2', 'vectors.json'), 'utf8')) as {
  vectors: { name: string; text: string; expect: string }[];
};
/** Each valid GBV2 text as the workstation reads it (the whole text trimmed, as the spec says). */
const CODES = VECTORS.vectors.filter((v) => v.expect === 'VALID' && v.text.length < 1000).map((v) => v.text.trim());

function run(opts: Partial<FramingOptions>, wire: string, cuts: number[]) {
  let now = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  const timer: FrameTimer = {
    set: (fn, ms) => {
      due.set(next, { at: now + ms, fn });
      return next++;
    },
    clear: (h) => void due.delete(h as number),
  };
  const codes: string[] = [];
  const f = new Framer({ frameEnd: 'CR', idleMs: 50, prefix: '', suffix: '', ...opts }, (t) => codes.push(t), timer);
  const bytes = Buffer.from(wire, 'latin1');
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    f.push(bytes.subarray(from, cut));
    from = cut;
    now += 3; // reads a few ms apart, well inside the idle pause
  }
  now += 1000;
  for (const [id, t] of [...due]) {
    if (t.at > now) continue;
    due.delete(id);
    t.fn();
  }
  return { codes, ignored: f.ignoredBytes };
}

describe('serial framing with GBV2 codes', () => {
  it('every frame end, reads cut at every kind of character (a space, `$`, `:` …): each code exact', () => {
    for (const code of CODES) {
      // Cut the reads right before and after each space and symbol of the code.
      const cuts = [...code].flatMap((c, i) => (/[ $%*+\-./:]/.test(c) ? [i, i + 1] : [])).filter((v, i, a) => a.indexOf(v) === i);
      for (const [frameEnd, end] of [
        ['CR', '\r'],
        ['LF', '\n'],
        ['CRLF', '\r\n'],
        ['idle', ''],
      ] as const) {
        const { codes, ignored } = run({ frameEnd }, `${code}${end}`, cuts);
        expect(codes, `${frameEnd}: ${code.slice(0, 12)}`).toEqual([code]);
        expect(ignored).toBe(0);
      }
    }
  });

  it('two codes in one read, the vectors\' own surrounding spaces and CRLF, a CRLF scanner read as CR', () => {
    const raw = VECTORS.vectors.filter((v) => v.expect === 'VALID' && /^\s|\s$/.test(v.text)).map((v) => v.text);
    expect(raw.length).toBeGreaterThan(0);
    for (const text of raw) expect(run({ frameEnd: 'CRLF' }, text, []).codes).toEqual([text.trim()]);
    const [a, b] = [CODES[0]!, CODES.find((c) => c.startsWith('GBV2: '))!];
    expect(run({ frameEnd: 'CR' }, `${a}\r\n${b}\r\n`, []).codes).toEqual([a, b]);
    expect(run({ frameEnd: 'LF' }, `${a}\n${b}\n`, [a.length - 1]).codes).toEqual([a, b]);
  });

  it('an AIM identifier before or after the programmed prefix, and the suffix, are removed; the code is not cut', () => {
    for (const code of CODES) {
      const opts = { frameEnd: 'CR', prefix: '<', suffix: '>' } as const;
      expect(run(opts, `]Q1<${code}>\r`, []).codes).toEqual([code]);
      expect(run(opts, `<]Q1${code}>\r`, [2]).codes).toEqual([code]);
      expect(run({ frameEnd: 'idle' }, `]Q1${code}`, [1, 3]).codes).toEqual([code]);
    }
  });

  it('noise on the line around a GBV2 code is dropped and counted; the code is intact', () => {
    const code = CODES.find((c) => c.startsWith('GBV2: '))!;
    const { codes, ignored } = run({ frameEnd: 'CRLF' }, `\u0000\u00ff${code}\u0013\r\n`, [1, 7]);
    expect(codes).toEqual([code]);
    expect(ignored).toBe(3);
  });
});
