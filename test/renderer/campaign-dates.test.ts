import { describe, expect, it } from 'vitest';
import { endOfDay, isLocalMidnight, lastDayInput, normaliseHours, startOfDay, toDateInput } from '../../renderer/src/catalog/dates';

describe('campaign dates', () => {
  it('runs from the start of the first day to the end of the last, local time', () => {
    const from = startOfDay('2025-05-01')!;
    const to = endOfDay('2025-05-31')!;
    expect(new Date(from)).toEqual(new Date(2025, 4, 1));
    expect(new Date(to)).toEqual(new Date(2025, 5, 1));
    expect(toDateInput(from)).toBe('2025-05-01');
    expect(lastDayInput(to)).toBe('2025-05-31');
    expect(isLocalMidnight(to)).toBe(true);
  });

  it('shows a non-midnight end on its own day', () => {
    const to = new Date(2025, 4, 31, 18, 30).getTime();
    expect(lastDayInput(to)).toBe('2025-05-31');
  });

  it('refuses impossible dates', () => {
    expect(startOfDay('')).toBeNull();
    expect(startOfDay('2025-02-30')).toBeNull();
    expect(endOfDay('31/05/2025')).toBeNull();
    expect(endOfDay('2024-12-31')).toBe(new Date(2025, 0, 1).getTime());
  });
});

describe('campaign hours', () => {
  it('accepts ranges like the core and removes spaces', () => {
    expect(normaliseHours('10:00-22:00')).toBe('10:00-22:00');
    expect(normaliseHours(' 10:00 - 14:00 , 17:00-22:00 ')).toBe('10:00-14:00,17:00-22:00');
    expect(normaliseHours('22:00-02:00')).toBe('22:00-02:00');
    expect(normaliseHours('9:30-24:00')).toBe('9:30-24:00');
    // What a Chinese input method types.
    expect(normaliseHours('10：00～22：00')).toBe('10:00-22:00');
    expect(normaliseHours('10:00-14:00，17:00-22:00')).toBe('10:00-14:00,17:00-22:00');
  });

  it('refuses what the core would refuse, and impossible times', () => {
    expect(normaliseHours('10-22')).toBeNull();
    expect(normaliseHours('10:00')).toBeNull();
    expect(normaliseHours('25:00-26:00')).toBeNull();
    expect(normaliseHours('10:60-11:00')).toBeNull();
    expect(normaliseHours('24:30-01:00')).toBeNull();
    expect(normaliseHours('all day')).toBeNull();
  });
});
