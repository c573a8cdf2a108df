import { describe, expect, it } from 'vitest';
import { rememberNewest } from '../src/bounded-maps.js';

describe('rememberNewest', () => {
  it('keeps at most the limit, forgetting the oldest first', () => {
    const map = new Map<string, number>();
    for (const [index, key] of ['a', 'b', 'c', 'd'].entries()) rememberNewest(map, key, index, 3);
    expect([...map]).toEqual([
      ['b', 1],
      ['c', 2],
      ['d', 3],
    ]);
  });

  it('makes an entry set again the newest, with its new value', () => {
    const map = new Map<string, number>();
    for (const key of ['a', 'b', 'c']) rememberNewest(map, key, 0, 3);
    rememberNewest(map, 'a', 9, 3);
    rememberNewest(map, 'd', 0, 3);
    expect([...map.keys()]).toEqual(['c', 'a', 'd']);
    expect(map.get('a')).toBe(9);
  });
});
