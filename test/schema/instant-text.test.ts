import { describe, expect, it } from 'vitest';
import { instantText, instantTime } from '../../src/schema/instant-text.js';

describe('instantText', () => {
  it('writes what toISOString writes, for repeats and past the cache capacity', () => {
    const start = Date.UTC(2026, 11, 4, 23, 59, 59, 999);
    for (let round = 0; round < 2; round += 1) {
      for (let step = 0; step < 5000; step += 1) {
        const date = new Date(start + step * 61_001);
        expect(instantText(date)).toBe(date.toISOString());
      }
    }
  });

  it('keeps milliseconds, years beyond 9999 and instants before 1970', () => {
    for (const date of [new Date('1969-07-20T20:17:40.001Z'), new Date(Date.UTC(10000, 0, 1)), new Date(0)]) {
      expect(instantText(date)).toBe(date.toISOString());
    }
  });

  it('refuses an invalid date as toISOString does, and still answers afterwards', () => {
    expect(() => instantText(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => instantText(new Date(Number.NaN))).toThrow(RangeError);
    expect(instantText(new Date(1))).toBe('1970-01-01T00:00:00.001Z');
  });

  it('reads a text back to its time: remembered ones, past the capacity, and others as Date.parse does', () => {
    const start = Date.UTC(2026, 11, 5, 2, 30);
    for (let step = 0; step < 5000; step += 1) {
      const time = start + step * 1_003;
      expect(instantTime(instantText(new Date(time)))).toBe(time);
    }
    for (const text of ['2026-12-05T02:30:00Z', '2026-12-05T03:30:00+01:00', 'not a date', '']) expect(instantTime(text)).toEqual(Date.parse(text));
  });
});
