import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * The error contract of README's "Errors" section, as a client sees it over HTTP:
 * request errors have their own code and are 400 for `application/graphql-response+json`
 * (200 for the legacy `application/json`), a missing credential is 401, and errors
 * while executing travel with their code in a 200 answer.
 */
describe('the GraphQL error contract', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
  });
  afterAll(() => server?.close());

  const modern = 'application/graphql-response+json';
  const legacy = 'application/json';

  async function post(accept: string, body: { query: string; variables?: unknown; operationName?: string }, token: string | null = server.token) {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
    return { status: response.status, contentType: response.headers.get('content-type'), ...json };
  }

  const deep = `{ clusters { edges { node { projects { edges { node { cluster { projects { edges { node { cluster { projects { edges { node { cluster { name } } } } } } } } } } } } } } } }`;
  const requestErrors: Array<[string, { query: string; variables?: unknown }, string, RegExp]> = [
    ['a document that does not parse', { query: '{ clusters { ' }, 'GRAPHQL_PARSE_FAILED', /Syntax Error/],
    ['a field that does not exist', { query: '{ nope }' }, 'GRAPHQL_VALIDATION_FAILED', /Cannot query field "nope"/],
    ['a missing variable', { query: 'query($id: ID!) { cluster(id: $id) { id } }', variables: {} }, 'BAD_USER_INPUT', /\$id/],
    [
      'a variable of the wrong type',
      { query: 'query($first: Int) { clusters(first: $first) { totalCount } }', variables: { first: 'many' } },
      'BAD_USER_INPUT',
      /\$first/,
    ],
    ['nesting beyond the depth limit', { query: deep }, 'QUERY_TOO_DEEP', /^Query depth limit of 15 exceeded, found \d+\.$/],
    [
      'an alias flood',
      { query: `{ ${Array.from({ length: 40 }, (_, index) => `a${index}: clusters { totalCount }`).join(' ')} }` },
      'TOO_MANY_ALIASES',
      /^Aliases limit of 30 exceeded, found 40\.$/,
    ],
    ['too many tokens', { query: `{ ${'__typename '.repeat(6000)} }` }, 'TOO_MANY_TOKENS', /^Token limit of 5000 exceeded\.$/],
    [
      'too many directives',
      { query: `{ me { ${Array.from({ length: 25 }, (_, index) => `u${index}: username @include(if: true)`).join(' ')} } }` },
      'TOO_MANY_DIRECTIVES',
      /^Directives limit of 20 exceeded, found 25\.$/,
    ],
    [
      'a selection that costs too much',
      {
        query: `{ ${Array.from({ length: 25 }, (_, index) => `a${index}: clusters(first: 100) { edges { node { projects(first: 100) { edges { node { id name } } } } } }`).join(' ')} }`,
      },
      'QUERY_TOO_COSTLY',
      /^Query Cost limit of 20000 exceeded, found [\d.]+\.$/,
    ],
  ];

  it.each(requestErrors)('refuses %s with its own code: 400 for graphql-response+json, 200 for application/json', async (_what, body, code, message) => {
    const modernAnswer = await post(modern, body);
    expect(modernAnswer.status).toBe(400);
    expect(modernAnswer.contentType).toMatch(/^application\/graphql-response\+json/);
    expect(modernAnswer).not.toHaveProperty('data');
    expect(modernAnswer.errors).toHaveLength(1);
    expect(modernAnswer.errors![0]!.extensions).toEqual({ code });
    expect(modernAnswer.errors![0]!.message).toMatch(message);

    const legacyAnswer = await post(legacy, body);
    expect(legacyAnswer.status).toBe(200);
    expect(legacyAnswer.contentType).toMatch(/^application\/json/);
    expect(legacyAnswer.errors![0]!.extensions).toEqual({ code });
  });

  it('never calls a limit a syntax error', async () => {
    for (const [, body, code] of requestErrors.filter(([, , code]) => code !== 'GRAPHQL_PARSE_FAILED')) {
      const answer = await post(modern, body);
      expect(answer.errors![0]!.message, code).not.toMatch(/Syntax Error/);
    }
  });

  it('answers 401 in both media types when the credential is missing or wrong', async () => {
    for (const accept of [modern, legacy]) {
      for (const token of [null, 'token-zzzzz:not-the-secret']) {
        const answer = await post(accept, { query: '{ me { username } }' }, token);
        expect(answer.status, `${accept} ${token}`).toBe(401);
        expect(answer.errors![0]!.extensions).toEqual({ code: 'UNAUTHORIZED' });
      }
    }
  });

  it('answers errors while executing with 200, their code, and the data that could be had', async () => {
    for (const accept of [modern, legacy]) {
      const invalid = await post(accept, { query: 'mutation { createCluster(input: { name: "" }) { id } }' });
      expect(invalid.status).toBe(200);
      expect(invalid.errors![0]!.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName: 'name' });
      expect(invalid).toHaveProperty('data');

      const partial = await post(accept, { query: '{ me { username } settings(first: 1) { totalCount } }' });
      expect(partial.status).toBe(200);
      expect(partial.errors).toBeUndefined();
    }
  });

  it('refuses a body over 4 MiB with 413 PAYLOAD_TOO_LARGE, whether it declares its length or streams it', async () => {
    const huge = JSON.stringify({ query: '{ me { username } }', variables: { padding: 'x'.repeat(4 * 1024 * 1024) } });
    const declared = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: modern, authorization: `Bearer ${server.token}` },
      body: huge,
    });
    const streamed = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: modern, authorization: `Bearer ${server.token}` },
      body: new Blob([huge]).stream(),
      duplex: 'half',
    } as RequestInit);
    for (const answer of [declared, streamed]) {
      expect(answer.status).toBe(413);
      const json = (await answer.json()) as { errors: Array<{ message: string; extensions: unknown }> };
      expect(json.errors[0]!.extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE' });
      expect(json.errors[0]!.message).toBe('the request body exceeds the limit of 4194304 bytes');
    }
    // Just under the limit still runs.
    const fits = await post(modern, { query: '{ me { username } }', variables: { padding: 'x'.repeat(4 * 1024 * 1024 - 100) } });
    expect(fits.status).toBe(200);
    expect(fits.data).toEqual({ me: { username: 'admin' } });
  });
});
