import { describe, expect, it } from 'vitest';
import { connectionWindow, decodeCursor, encodeCursor, keysetPage, keysetWindow, type ListOrder } from '../../src/schema/keyset.js';

const byName: ListOrder = { list: 'Cluster', column: 'name', direction: 'asc', holds: 'string', nullable: false };

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
    const page = keysetPage(loaded, firstThree, byName);
    expect(page.edges.map((edge) => edge.node.name)).toEqual(['alpha', 'beta', 'gamma']);
    expect(decodeCursor(byName, page.pageInfo.endCursor!, 'after')).toEqual({ value: 'gamma', id: 'c' });
    expect(decodeCursor(byName, page.pageInfo.startCursor!, 'before')).toEqual({ value: 'alpha', id: 'a' });
    expect(page.edges[2]!.cursor).toBe(page.pageInfo.endCursor);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('answers an empty page’s bounds with null, whatever it was asked from', () => {
    const from = encodeCursor(byName, 'zulu', 'z');
    for (const window of [connectionWindow({ first: 3, after: from }), connectionWindow({ last: 3, before: from }), connectionWindow({ first: 0 })]) {
      const page = keysetPage([], window, byName);
      expect(page.edges).toEqual([]);
      expect(page.pageInfo).toMatchObject({ startCursor: null, endCursor: null });
    }
  });
});

describe('a cursor', () => {
  const refused = (order: ListOrder, cursor: string) => () => keysetWindow(order, connectionWindow({ first: 2, after: cursor }));
  const cursor = encodeCursor(byName, 'fe-c-01', 'c-abcde');

  it('is refused in another order, direction or list, as not a cursor of that list', () => {
    const byCreation: ListOrder = { ...byName, column: 'createdAt', holds: 'date' };
    for (const elsewhere of [byCreation, { ...byName, direction: 'desc' as const }, { ...byName, list: 'Project' }, { ...byName, column: 'id' }]) {
      expect(refused(elsewhere, cursor)).toThrow(/not a cursor of this list/);
    }
    expect(refused(byName, cursor)).not.toThrow();
  });

  it('is refused when its value is not what the sort column holds (a forged one never reaches SQL)', () => {
    const byCreation: ListOrder = { ...byName, column: 'createdAt', holds: 'date' };
    const forged = Buffer.from(JSON.stringify(['Cluster', 'createdAt', 'asc', 'fe-c-01', 'c-abcde'])).toString('base64url');
    expect(refused(byCreation, forged)).toThrow(/not a cursor of this list/);
    expect(refused(byCreation, encodeCursor(byCreation, new Date('2026-01-02T03:04:05Z'), 'c-abcde'))).not.toThrow();
  });

  it('is never the empty string: `after: ""` is refused, not read as the first page', () => {
    expect(refused(byName, '')).toThrow(/not a cursor of this list/);
    expect(() => keysetWindow(byName, connectionWindow({ last: 2, before: '' }))).toThrow(/not a cursor of this list/);
  });
});
