import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

describe('page sizes', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
  });
  afterAll(() => server?.close());

  it('refuses a page beyond the cap with INVALID_INPUT naming it, instead of cutting it short', async () => {
    const result = await server.graphql(`{ clusters(first: 5000) { totalCount } }`);
    expect(result.data ?? null).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'first' });
    expect(result.errors![0]!.message).toMatch(/^first: at most 1000 items per page/);
  });

  it('applies the same cap to nested lists and to last, and refuses negative sizes', async () => {
    // A nested list's arguments are checked when it runs, so there must be a cluster.
    const created = await server.graphql(`mutation { createCluster(input: { name: "paged" }) { id } }`);
    expect(created.errors).toBeUndefined();
    const nestedAgain = await server.graphql(`{ clusters(first: 1) { edges { node { name projects(first: 1001) { totalCount } } } } }`);
    expect(nestedAgain.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'first' });
    // Pothos plans a nested Prisma list with its parent's query, so the refusal is reported there.
    expect(nestedAgain.errors?.[0]?.path?.[0]).toBe('clusters');
    const last = await server.graphql(`{ settings(last: 1001) { totalCount } }`);
    expect(last.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'last' });
    const negative = await server.graphql(`{ settings(first: -1) { totalCount } }`);
    expect(negative.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'first' });
  });

  it('answers a page of exactly the cap', async () => {
    const result = await server.graphql(`{ settings(first: 1000) { edges { node { id } } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.settings.edges.length).toBeGreaterThan(0);
  });

  it('states the cap on every first and last argument of the schema', async () => {
    const result = await server.graphql(`{ __schema { types { name fields { name args { name description } } } } }`);
    const types = result.data!.__schema.types as Array<{
      name: string;
      fields: Array<{ name: string; args: Array<{ name: string; description: string | null }> }> | null;
    }>;
    const sizeArguments = types.flatMap((type) =>
      (type.fields ?? []).flatMap((field) =>
        field.args
          .filter((arg) => arg.name === 'first' || arg.name === 'last')
          .map((arg) => ({ at: `${type.name}.${field.name}(${arg.name})`, description: arg.description })),
      ),
    );
    expect(sizeArguments.length).toBeGreaterThan(20);
    for (const { at, description } of sizeArguments) expect(description, at).toMatch(/at most 1000, more is refused with INVALID_INPUT/i);
  });
});
