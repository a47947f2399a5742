import { describe, expect, it } from 'vitest';
import type { BurstTimer } from '../../renderer/src/scan/burst';
import { WedgeDetector } from '../../renderer/src/scanners/wedge';
import { scannerStrings } from '../../renderer/src/scanners/strings';
import { codeKind, stripAffixes } from '../../preload/contract';

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
    for (const [id, d] of [...this.due].sort((a, b) => a[1].at - b[1].at)) {
      if (d.at > t) continue;
      this.due.delete(id);
      this.now = d.at;
      d.fn();
    }
    this.now = t;
  }
}

const CODE = 'GBV1:eyJhbGciOiJFQ0RILUVTIn0..iv.ct.tag';

function setup() {
  const timer = new VirtualTimer();
  const scans: string[] = [];
  const w = new WedgeDetector((t) => scans.push(t), {}, timer);
  const type = (text: string, gap: number, start: number) => {
    let at = start;
    for (const ch of text) {
      timer.advanceTo(at);
      w.key(ch, at);
      at += gap;
    }
    return at - gap;
  };
  return { timer, scans, w, type };
}

describe('keyboard wedge outside the Redeem input', () => {
  it('a burst at scanner speed ended by Enter is a scan, and the Enter is consumed', () => {
    const { scans, w, type, timer } = setup();
    const end = type(CODE, 3, 1000);
    timer.advanceTo(end + 5);
    expect(w.key('Enter', end + 5)).toBe('consume');
    expect(scans).toEqual([CODE]);
  });

  it('a burst with no suffix is a scan once it falls idle', () => {
    const { scans, type, timer } = setup();
    const end = type(CODE, 4, 0);
    timer.advanceTo(end + 200);
    expect(scans).toEqual([]);
    timer.advanceTo(end + 300);
    expect(scans).toEqual([CODE]);
  });

  it('a person typing, even a long string, never scans; their Enter passes through', () => {
    const { scans, w, type, timer } = setup();
    const end = type(CODE, 120, 0);
    timer.advanceTo(end + 10);
    expect(w.key('Enter', end + 10)).toBe('pass');
    timer.advanceTo(end + 5000);
    expect(scans).toEqual([]);
    // Fast for a person (40 ms a key) is still not a scanner.
    const end2 = type('abcdefghijkl', 40, 20_000);
    expect(w.key('Tab', end2 + 20)).toBe('pass');
    timer.advanceTo(end2 + 5000);
    expect(scans).toEqual([]);
  });

  it('fewer than 8 characters are not a scan; a key like Escape or an arrow starts over', () => {
    const { scans, w, type, timer } = setup();
    const end = type('1234567', 2, 0);
    expect(w.key('Enter', end + 2)).toBe('pass');
    const e2 = type('abcdefgh', 2, 1000);
    w.key('ArrowDown', e2 + 1);
    expect(w.key('Enter', e2 + 2)).toBe('pass');
    timer.advanceTo(10_000);
    expect(scans).toEqual([]);
  });

  it('Shift (scanned capitals) does not break a burst', () => {
    const { scans, w, timer } = setup();
    let at = 0;
    for (const ch of CODE) {
      if (ch >= 'A' && ch <= 'Z') w.key('Shift', at);
      w.key(ch, at);
      at += 3;
    }
    timer.advanceTo(at);
    expect(w.key('Enter', at)).toBe('consume');
    expect(scans).toEqual([CODE]);
  });
});

describe('scanner helpers shared with the core', () => {
  it('strips AIM identifiers and programmed affixes; tells vouchers from other codes', () => {
    expect(stripAffixes(`]Q1${CODE}`, '', '')).toBe(CODE);
    expect(stripAffixes(`@@${CODE}##`, '@@', '##')).toBe(CODE);
    expect(codeKind(CODE)).toBe('voucher');
    expect(codeKind('6901234567892')).toBe('other');
  });

  it('the scanner settings have the same words in English and Chinese', () => {
    const en = Object.keys(scannerStrings.en).sort();
    expect(Object.keys(scannerStrings['zh-CN']).sort()).toEqual(en);
    for (const k of en) {
      const a = (scannerStrings.en as Record<string, string>)[k]!.match(/\{\{\w+\}\}/g) ?? [];
      const b = (scannerStrings['zh-CN'] as Record<string, string>)[k]!.match(/\{\{\w+\}\}/g) ?? [];
      expect(b.sort(), k).toEqual(a.sort());
    }
  });
});

describe('verdict sounds', () => {
  it('accept for valid, warning when the cashier must look (PIN needed, clock behind), reject otherwise', async () => {
    const { soundFor } = await import('../../renderer/src/redeem/flow');
    expect(soundFor('VALID')).toBe('accept');
    expect(soundFor('PIN_REQUIRED')).toBe('warning');
    expect(soundFor('CLOCK_BEHIND')).toBe('warning');
    expect(soundFor('ALREADY_REDEEMED')).toBe('reject');
    expect(soundFor('MALFORMED')).toBe('reject');
  });
});
