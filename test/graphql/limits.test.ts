import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

describe('what one GraphQL document may ask', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
  });
  afterAll(() => server?.close());

  it('refuses runaway nesting before running it', async () => {
    const deep = `{ clusters { edges { node { projects { edges { node { cluster { projects { edges { node { cluster { projects { edges { node { cluster { name } } } } } } } } } } } } } } } }`;
    const result = await server.graphql(deep);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.message).toMatch(/depth/i);
  });

  it('refuses alias floods', async () => {
    const floods = Array.from({ length: 40 }, (_, index) => `a${index}: clusters { totalCount }`).join(' ');
    const result = await server.graphql(`{ ${floods} }`);
    expect(result.errors?.[0]?.message).toMatch(/alias/i);
  });

  it('still answers introspection, which GraphiQL and codegen need', async () => {
    const result = await server.graphql(`{ __schema { types { name fields { name type { name ofType { name ofType { name ofType { name } } } } } } } }`);
    expect(result.errors).toBeUndefined();
  });

  it('answers a document that is not GraphQL with a clear error, not a crash', async () => {
    const post = (accept: string) =>
      fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: '{"query": "{ clusters { "}' });
    const expected = {
      errors: [{ message: 'Syntax Error: Expected Name, found <EOF>.', locations: [{ line: 1, column: 14 }], extensions: { code: 'GRAPHQL_PARSE_FAILED' } }],
    };
    // GraphQL over HTTP: 400 for the new media type, 200 for clients that accept only application/json.
    const modern = await post('application/graphql-response+json');
    expect(modern.status).toBe(400);
    expect(await modern.json()).toEqual(expected);
    const legacy = await post('application/json');
    expect(legacy.status).toBe(200);
    expect(await legacy.json()).toEqual(expected);
  });
});
