import { describe, expect, it } from 'vitest';
import { ScanBurst, changeKindOf, cleanScan, type BurstTimer } from '../../renderer/src/scan/burst';

/** A timer on virtual time: `advanceTo(t)` fires whatever is due by t, in order. */
class VirtualTimer implements BurstTimer {
  now = 0;
  private next = 1;
  private readonly due = new Map<number, { at: number; fn: () => void }>();

  set(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.due.set(id, { at: this.now + ms, fn });
    return id;
  }

  clear(handle: unknown): void {
    this.due.delete(handle as number);
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

const CODE = 'GBV1:eyJhbGciOiJFQ0RILUVTIn0..iv.ct.tag';

function setup(opts = {}) {
  const timer = new VirtualTimer();
  const submitted: string[] = [];
  const burst = new ScanBurst((text) => submitted.push(text), opts, timer);
  /** Types `text` one character at a time, `gapMs` apart, starting at `start`. Returns the end time. */
  function type(text: string, gapMs: number, start = 0): number {
    let value = '';
    let t = start;
    for (const ch of text) {
      timer.advanceTo(t);
      value += ch;
      if (burst.change(value, t, 'type')) value = '';
      t += gapMs;
    }
    return t - gapMs;
  }
  return { timer, submitted, burst, type };
}

describe('scan burst', () => {
  it('submits a scanner burst (5 ms per character, no suffix) after the idle timeout', () => {
    const { timer, submitted, type } = setup();
    const end = type(CODE, 5);
    timer.advanceTo(end + 100);
    expect(submitted).toEqual([]); // not before the idle timeout
    timer.advanceTo(end + 121);
    expect(submitted).toEqual([CODE]);
    timer.advanceTo(end + 5000);
    expect(submitted).toEqual([CODE]); // once
  });

  it('never auto-submits slow typing (150 ms per character)', () => {
    const { timer, submitted, type } = setup();
    const end = type(CODE, 150);
    timer.advanceTo(end + 60_000);
    expect(submitted).toEqual([]);
  });

  it('never auto-submits a fast typist (60 ms per character)', () => {
    const { timer, submitted, type } = setup();
    const end = type(CODE, 60);
    timer.advanceTo(end + 60_000);
    expect(submitted).toEqual([]);
  });

  it('does not auto-submit a fast burst shorter than the minimum', () => {
    const { timer, submitted, type } = setup();
    const end = type('1234567', 5);
    timer.advanceTo(end + 1000);
    expect(submitted).toEqual([]);
  });

  it('does not auto-submit after an edit (a deletion, a multi-character insert)', () => {
    const { timer, submitted, burst } = setup();
    let t = 0;
    let value = '';
    for (const ch of CODE) {
      value += ch;
      burst.change(value, (t += 5), 'type');
    }
    value = value.slice(0, -1);
    burst.change(value, (t += 5), 'other');
    timer.advanceTo(t + 1000);
    expect(submitted).toEqual([]);

    burst.reset();
    burst.change(CODE, 2000, 'type'); // one event carrying the whole text (IME, autofill, a test's fill)
    timer.advanceTo(5000);
    expect(submitted).toEqual([]);
  });

  it('submits on Enter or Tab, trimmed, and not when empty', () => {
    const { timer, submitted, burst, type } = setup();
    const end = type(CODE, 150);
    expect(burst.end(CODE)).toBe(true);
    expect(submitted).toEqual([CODE]);
    timer.advanceTo(end + 10_000);
    expect(submitted).toEqual([CODE]); // the idle timer was cancelled

    expect(burst.end(`  ${CODE}\r\n`)).toBe(true);
    expect(submitted).toEqual([CODE, CODE]);

    expect(burst.end('')).toBe(false);
    expect(burst.end(' \r\n')).toBe(false);
    expect(submitted).toHaveLength(2);
  });

  it('a short code ended by Enter is still submitted (the minimum applies only without a suffix)', () => {
    const { submitted, burst, type } = setup();
    type('abc', 5);
    expect(burst.end('abc')).toBe(true);
    expect(submitted).toEqual(['abc']);
  });

  it('a CR or LF arriving as characters ends the scan, and is trimmed', () => {
    const { submitted, burst } = setup();
    expect(burst.change(`${CODE}\r`, 1, 'type')).toBe(true);
    expect(burst.change(`${CODE}\n`, 2, 'type')).toBe(true);
    expect(burst.change(`${CODE}\r\n`, 3, 'type')).toBe(true);
    expect(submitted).toEqual([CODE, CODE, CODE]);
  });

  it('submits a pasted whole code at once', () => {
    const { submitted, burst } = setup();
    expect(burst.change(`${CODE}\n`, 0, 'paste')).toBe(true);
    expect(burst.change(` ${CODE} `, 10, 'paste')).toBe(true);
    expect(submitted).toEqual([CODE, CODE]);
  });

  it('a paste into a field that already has text waits for Enter', () => {
    const { timer, submitted, burst } = setup();
    burst.change('G', 0, 'type');
    expect(burst.change(`G${CODE.slice(1)}`, 500, 'paste')).toBe(false);
    timer.advanceTo(10_000);
    expect(submitted).toEqual([]);
  });

  it('handles one scan after another', () => {
    const { timer, submitted, type } = setup();
    let end = type(CODE, 4);
    timer.advanceTo(end + 200);
    end = type(`${CODE}X`, 4, end + 1000);
    timer.advanceTo(end + 200);
    expect(submitted).toEqual([CODE, `${CODE}X`]);
  });
});

describe('helpers', () => {
  it('cleanScan drops surrounding whitespace and CR/LF', () => {
    expect(cleanScan(`\t${CODE}\r\n`)).toBe(CODE);
  });

  it('changeKindOf maps input types', () => {
    expect(changeKindOf('insertText')).toBe('type');
    expect(changeKindOf('insertFromPaste')).toBe('paste');
    expect(changeKindOf('insertFromDrop')).toBe('paste');
    expect(changeKindOf('deleteContentBackward')).toBe('other');
    expect(changeKindOf('insertText', true)).toBe('other');
  });
});
