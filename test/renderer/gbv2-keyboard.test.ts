/**
 * GBV2 codes (Base45: spaces and `$ % * + - . / :`) through every keyboard
 * path: the Redeem input's burst detection, the wedge outside it, and the
 * stripping of a scanner's AIM identifier and programmed prefix/suffix. The
 * texts are the real ones of the GBV2 conformance vectors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ScanBurst, type BurstTimer } from '../../renderer/src/scan/burst';
import { undoCapsLock } from '../../renderer/src/scan/caps-lock';
import { CONSUME_AFTER, WedgeDetector } from '../../renderer/src/scanners/wedge';
import { keyboardScan, scannersView, setScannersStatus } from '../../renderer/src/scanners/store';
import { codeKind, codeSummary, stripAffixes, type ScannersStatus } from '../../preload/contract';

const VECTORS = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'vectors-v2', 'vectors.json'), 'utf8')) as {
  vectors: { name: string; text: string; expect: string }[];
};
/** Every valid GBV2 text exactly as a scanner delivers it (some with spaces, one with a space right after `GBV2:`). */
const TEXTS = VECTORS.vectors.filter((v) => v.expect === 'VALID' && v.text.length < 1000).map((v) => v.text);
/** The same, as the workstation reads them: the whole text trimmed (spec: surrounding whitespace and CR/LF ignored). */
const CODES = TEXTS.map((t) => t.trim());
const SPACE_AFTER_PREFIX = CODES.find((t) => t.startsWith('GBV2: '))!;

class VirtualTimer implements BurstTimer {
  now = 0;
  private next = 1;
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  set(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.due.set(id, { at: this.now + ms, fn });
    return id;
  }
  clear(h: unknown): void {
    this.due.delete(h as number);
  }
  advanceTo(t: number): void {
    for (;;) {
      const first = [...this.due.entries()].filter(([, d]) => d.at <= t).sort((a, b) => a[1].at - b[1].at)[0];
      if (!first) break;
      this.due.delete(first[0]);
      this.now = first[1].at;
      first[1].fn();
    }
    this.now = t;
  }
}

it('the vectors hold what these tests are about: spaces inside, a space right after the prefix, every Base45 symbol', () => {
  expect(CODES.length).toBeGreaterThan(15);
  expect(SPACE_AFTER_PREFIX).toBeDefined();
  const all = CODES.join('');
  for (const c of ' $%*+-./:') expect(all, c).toContain(c);
  for (const t of CODES) expect(codeKind(t)).toBe('voucher');
  expect(codeSummary(CODES[0]!, 5)).toEqual({ length: CODES[0]!.length, kind: 'voucher', format: 'GBV2', at: 5 });
  expect(codeSummary('GBV1:eyJ..a.b.c', 5).format).toBe('GBV1');
  expect(codeSummary('6901234567892', 5)).toEqual({ length: 13, kind: 'other', at: 5 });
});

describe('the Redeem input (scan/burst.ts) with GBV2 codes', () => {
  function typeInto(burst: ScanBurst, timer: VirtualTimer, text: string, gap: number, start: number): number {
    let value = '';
    let t = start;
    for (const ch of text) {
      timer.advanceTo(t);
      value += ch;
      if (burst.change(value, t, 'type')) value = '';
      t += gap;
    }
    return t - gap;
  }

  it('typed at wedge speed and ended by Enter, by Tab, or by falling idle: the exact code, spaces inside kept', () => {
    for (const text of TEXTS) {
      const code = text.trim();
      for (const ending of ['Enter', 'Tab', 'idle'] as const) {
        const timer = new VirtualTimer();
        const got: string[] = [];
        const burst = new ScanBurst((s) => got.push(s), {}, timer);
        // A scanner that sends its CR/LF as characters ends the code by itself.
        const typed = text.replace(/[\r\n]+$/, '');
        const end = typeInto(burst, timer, typed, 2, 1000);
        if (ending === 'idle') timer.advanceTo(end + 500);
        else expect(burst.end(typed)).toBe(true);
        expect(got, `${ending}: ${code.slice(0, 12)}`).toEqual([code]);
      }
    }
  });

  it('a CR/LF typed as characters ends the scan; a paste submits it whole', () => {
    const timer = new VirtualTimer();
    const got: string[] = [];
    const burst = new ScanBurst((s) => got.push(s), {}, timer);
    for (const code of CODES) {
      expect(burst.change(`${code}\r\n`, 1, 'type')).toBe(true);
      expect(burst.change(` ${code} `, 2, 'paste')).toBe(true);
    }
    expect(got).toEqual(CODES.flatMap((c) => [c, c]));
  });
});

describe('the keyboard wedge outside the Redeem input with GBV2 codes', () => {
  function wedge() {
    const timer = new VirtualTimer();
    const got: string[] = [];
    const w = new WedgeDetector((s) => got.push(s), {}, timer);
    return { timer, got, w };
  }

  it('a burst with spaces inside is one scan; its spaces (and every key after the first few) never reach the focused button', () => {
    for (const code of CODES) {
      const { timer, got, w } = wedge();
      let at = 0;
      const answers: string[] = [];
      for (const [i, ch] of [...code].entries()) {
        timer.advanceTo(at);
        if (ch >= 'A' && ch <= 'Z') w.key('Shift', at); // scanned capitals come with Shift
        const a = w.key(ch, at);
        answers.push(a);
        if (ch === ' ') expect(a, `space at ${i}`).toBe('consume');
        at += 2;
      }
      expect(answers.slice(0, CONSUME_AFTER - 1).every((a) => a === 'pass')).toBe(true);
      expect(answers.slice(CONSUME_AFTER).every((a) => a === 'consume')).toBe(true);
      expect(w.key('Enter', at)).toBe('consume');
      expect(got).toEqual([code]);
    }
  });

  it('a voucher prefix typed without a pause holds the keys back even when the first keys came slowly (a busy machine)', () => {
    const { timer, got, w } = wedge();
    let at = 0;
    for (const [i, ch] of [...SPACE_AFTER_PREFIX].entries()) {
      timer.advanceTo(at);
      const a = w.key(ch, at);
      if (i >= 4) expect(a, `key ${i}`).toBe('consume');
      at += i < 6 ? 150 : 2; // 150 ms between the first keys, then scanner speed
    }
    expect(w.key('Enter', at)).toBe('consume');
    expect(got).toEqual([SPACE_AFTER_PREFIX]);
  });

  it('ended by Tab or by falling idle, the same', () => {
    for (const ending of ['Tab', 'idle'] as const) {
      const { timer, got, w } = wedge();
      let at = 0;
      for (const ch of SPACE_AFTER_PREFIX) {
        timer.advanceTo(at);
        w.key(ch, at);
        at += 1;
      }
      if (ending === 'Tab') expect(w.key('Tab', at)).toBe('consume');
      else timer.advanceTo(at + 1000);
      expect(got, ending).toEqual([SPACE_AFTER_PREFIX]);
    }
  });

  it('a person pressing Space on a button, or typing slowly, is never held back', () => {
    const { timer, got, w } = wedge();
    expect(w.key(' ', 0)).toBe('pass');
    let at = 1000;
    for (const ch of 'ABC DEF GHI') {
      timer.advanceTo(at);
      expect(w.key(ch, at)).toBe('pass');
      at += 90;
    }
    expect(w.key('Enter', at)).toBe('pass');
    timer.advanceTo(at + 10_000);
    expect(got).toEqual([]);
  });
});

describe('what a scanner adds, removed without cutting a GBV2 code', () => {
  const status = (prefix: string, suffix: string): ScannersStatus =>
    ({
      config: { wedge: { enabled: true, prefix, suffix } },
      serial: { source: 'serial', state: 'off', seq: scannersView().status ? scannersView().status!.serial.seq + 1 : 1 },
    }) as unknown as ScannersStatus;
  afterEach(() => setScannersStatus(status('', '')));

  it('AIM identifiers before or after the programmed prefix, the suffix, surrounding spaces and CR/LF', () => {
    for (const text of TEXTS) {
      const code = text.trim();
      expect(stripAffixes(text, '', '')).toBe(code);
      expect(stripAffixes(`]Q1${code}`, '', '')).toBe(code);
      expect(stripAffixes(`]Q1#${code}!`, '#', '!')).toBe(code);
      // Prefix, then the AIM identifier (the order of Honeywell scanners, among others).
      expect(stripAffixes(`#]Q1${code}!`, '#', '!')).toBe(code);
      // The identifier is removed once only; the prefix is not looked for again.
      expect(stripAffixes(`]Q1]Q1${code}`, '', '')).toBe(`]Q1${code}`);
      expect(stripAffixes(code, 'XX', 'YY')).toBe(code);
    }
    // A configured prefix that is not sent does not eat the code's own first characters.
    expect(stripAffixes(SPACE_AFTER_PREFIX, 'GBV1:', '')).toBe(SPACE_AFTER_PREFIX);
  });

  it('keyboardScan applies the wedge settings: the code comes out exact', () => {
    setScannersStatus(status('@@', '##'));
    for (const code of CODES) expect(keyboardScan(`@@]Q1${code}##`)).toBe(code);
    expect(scannersView().last.keyboard).toMatchObject({ kind: 'voucher', format: 'GBV2', length: CODES.at(-1)!.length });
  });

  it('typed with Caps Lock on (every letter in the other case): put back, for GBV2 and GBV1; anything else untouched', () => {
    const flip = (s: string) => s.replace(/[A-Za-z]/g, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()));
    for (const code of CODES) {
      expect(undoCapsLock(flip(code))).toBe(code);
      expect(undoCapsLock(code)).toBe(code);
      expect(keyboardScan(`]q1${flip(code)}`)).toBe(code);
    }
    const v1 = 'GBV1:eyJhbGciOiJFQ0RILUVTIn0..iv.ct.tag';
    expect(undoCapsLock(flip(v1))).toBe(v1);
    expect(undoCapsLock('hello World')).toBe('hello World');
    expect(undoCapsLock('gbv3:abc')).toBe('gbv3:abc');
  });
});
