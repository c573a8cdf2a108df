import { describe, expect, it } from 'vitest';
import { connectionWindow, decodeCursor, encodeCursor, keysetPage } from '../../src/schema/keyset.js';

describe('a keyset page', () => {
  const rows = [
    { id: 'a', name: 'alpha' },
    { id: 'b', name: 'beta' },
    { id: 'c', name: 'gamma' },
  ];
  // A page of three, read with one row beyond it: there is a next page.
  const loaded = [...rows, { id: 'd', name: 'delta' }];
  const firstThree = connectionWindow({ first: 3 });

  it('encodes a cursor only when it is read, once, and the bounds from the first and last edge', () => {
    const encoded: string[] = [];
    const cursorOf = (row: (typeof rows)[number]) => {
      encoded.push(row.id);
      return encodeCursor(row.name, row.id);
    };
    const page = keysetPage(loaded, firstThree, cursorOf, null);
    expect(page.edges.map((edge) => edge.node.name)).toEqual(['alpha', 'beta', 'gamma']);
    expect(encoded).toEqual([]);
    expect(decodeCursor(page.pageInfo.endCursor!, 'after')).toEqual({ value: 'gamma', id: 'c' });
    expect(decodeCursor(page.pageInfo.startCursor!, 'before')).toEqual({ value: 'alpha', id: 'a' });
    expect(page.edges[2]!.cursor).toBe(page.pageInfo.endCursor);
    expect(encoded).toEqual(['c', 'a']);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('answers an empty page’s bounds with the cursor it was given', () => {
    const page = keysetPage([], firstThree, () => 'never', 'from-here');
    expect(page.edges).toEqual([]);
    expect(page.pageInfo).toMatchObject({ startCursor: 'from-here', endCursor: 'from-here' });
  });
});
