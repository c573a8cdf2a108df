import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';

/**
 * patches/@graphql-tools+executor++@graphql-tools+utils+12.1.0.patch: the executor Yoga runs
 * works out every field's arguments at every call, and `getArgumentValues` built a Map of
 * the field's argument nodes each time, for fields that take none too — 3,300 Maps for a
 * page of 100 clusters. The patch answers a field without arguments with its empty object
 * at once. This holds what resolvers get, through Yoga's own execution, and that the Maps
 * are gone.
 */
describe("the executor's argument values (patched)", () => {
  const rows = 200;
  const seen: Array<Record<string, unknown>> = [];
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: /* GraphQL */ `
        type Item {
          name: String!
          size: Int!
          label(times: Int = 2, suffix: String): String!
        }
        type Query {
          items: [Item!]!
        }
      `,
      resolvers: {
        Item: {
          size: (item: { size: number }, args: Record<string, unknown>) => {
            seen.push(args);
            // A resolver may treat its arguments as its own.
            args.touched = true;
            return item.size;
          },
          label: (item: { name: string }, args: { times: number; suffix?: string }) => `${item.name.repeat(args.times)}${args.suffix ?? ''}`,
        },
        Query: { items: () => Array.from({ length: rows }, (_, index) => ({ name: `n${index}`, size: index })) },
      },
    }),
  });

  async function run(source: string): Promise<{ result: unknown; mapsMade: number }> {
    const { parse, execute, schema, contextFactory } = yoga.getEnveloped({});
    const document = parse(source);
    const contextValue = await contextFactory();
    const Original = globalThis.Map;
    let mapsMade = 0;
    globalThis.Map = class CountedMap<K, V> extends Original<K, V> {
      constructor(entries?: Iterable<readonly [K, V]> | null) {
        super(entries);
        mapsMade += 1;
      }
    } as MapConstructor;
    try {
      return { result: await execute({ schema, document, contextValue }), mapsMade };
    } finally {
      globalThis.Map = Original;
    }
  }

  it('gives a field without arguments a fresh empty object, and one with arguments its values and defaults', async () => {
    seen.length = 0;
    const { result } = await run('{ items { name size label plain: label(times: 1, suffix: "!") } }');
    const items = (result as { data: { items: Array<Record<string, unknown>> } }).data.items;
    expect(items[3]).toEqual({ name: 'n3', size: 3, label: 'n3n3', plain: 'n3!' });
    expect(seen).toHaveLength(rows);
    expect(Object.getPrototypeOf(seen[0])).toBe(Object.prototype);
    // Each call its own object: what one resolver did to its arguments reaches no other.
    expect(new Set(seen).size).toBe(rows);
  });

  it('builds no Map of argument nodes for fields that take no arguments', async () => {
    const { mapsMade: withoutArguments } = await run('{ items { name size } }');
    const { mapsMade: withArguments } = await run('{ items { name size label } }');
    // Unpatched: one Map per field of every row (400, then 600 and more).
    expect(withoutArguments).toBeLessThan(rows);
    // A field that takes arguments still builds its one Map per call.
    expect(withArguments - withoutArguments).toBeGreaterThanOrEqual(rows);
    expect(withArguments).toBeLessThan(2 * rows);
  });
});
