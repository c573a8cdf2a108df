import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * Issue 10: malformed paths, query strings, headers, bodies and GraphQL documents
 * thrown at every face. Whatever arrives, the server answers in the face's own
 * format and never with a 5xx, and it still answers /ping afterwards.
 *
 * Seeded and bounded: the same requests every run (a failure names its seed and
 * path, so it replays), few enough to finish well within a minute on a small machine.
 */
const seed = 20_261_202;
const runsPerFace = 150;

interface Exchange {
  status: number;
  contentType: string;
  text: string;
}

/** One raw HTTP request: any path bytes Node's client lets through, any body bytes. */
function send(url: string, method: string, path: string, headers: Record<string, string>, body?: Uint8Array): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const outgoing = httpRequest(
      { host: target.hostname, port: target.port, method, path, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: String(response.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

// ---- building blocks -------------------------------------------------------

/** Path segments: real names, ids, and what breaks parsers (escapes of every kind, dots, NUL, non-UTF-8). */
const segment = fc.oneof(
  fc.constantFrom(
    'clusters',
    'cluster',
    'projects',
    'users',
    'tokens',
    'settings',
    'schemas',
    'cloudcredentials',
    'namespacedsecrets',
    'localProviders',
    'local',
    'c-abcde',
    'p-xyz',
    'token-abc',
    'subscribe',
    'openapi.json',
    'provisioning.cattle.io.clusters',
    'fleet-default',
    'management.cattle.io.settings',
  ),
  fc.constantFrom('%00', '%FF', '%C3', '%E0%A4%A', '%zz', '%', '..', '.', '%2e%2e', '%2F', '%ED%A0%80', '%F0%9F%98%80', '~', 'a:b', '\u00e9'),
  fc.stringMatching(/^[A-Za-z0-9._~:@!$&'()*+,;=-]{0,12}$/),
);
const pathUnder = (prefix: string) =>
  fc.array(segment, { maxLength: 5 }).map((segments) => `${prefix}${segments.length > 0 ? '/' : ''}${segments.map(encodeLoosely).join('/')}`);

/** Keeps what an HTTP client may put in a request line; everything else is percent-encoded. */
function encodeLoosely(text: string): string {
  return text.replace(/[^\x21-\x7e]|[#?]/g, (character) => encodeURIComponent(character));
}

const queryValue = fc.oneof(
  fc.constantFrom('', '%00', '%FF%FE', '-1', '0', '1e999', '999999999999', 'DELETE', 'PUT', 'POST', 'login', 'remove', 'desc', '~', 'true', 'null'),
  fc.string({ maxLength: 12 }).map(encodeLoosely),
);
const queryName = fc.oneof(
  fc.constantFrom(
    'limit',
    'marker',
    'sort',
    'order',
    '_method',
    'action',
    '_format',
    '_replace',
    'name',
    'name_prefix',
    'clusterId',
    'id_in',
    'continue',
    'labelSelector',
    'query',
    'variables',
    'operationName',
    'resourceTypes',
  ),
  fc.stringMatching(/^[a-z_]{1,8}$/),
);
const queryString = fc
  .array(fc.tuple(queryName, queryValue), { maxLength: 5 })
  .map((pairs) => (pairs.length ? `?${pairs.map(([name, value]) => `${name}=${value}`).join('&')}` : ''));

/** JSON bodies of every shape, texts with NUL and lone surrogates, and bytes that are no UTF-8 at all. */
const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(
    fc.constantFrom('name', 'description', 'username', 'password', 'labels', 'clusterId', 'value', 'metadata', 'spec', 'ttl', 'id', 'enabled'),
    fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('a\u0000b', '\ud800', '', 'x'.repeat(300))),
    { maxKeys: 5 },
  ),
);
const body = fc.oneof(
  jsonish.map((value) => Buffer.from(JSON.stringify(value))),
  fc.string({ maxLength: 40 }).map((text) => Buffer.from(text)),
  fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(
    Buffer.from('{"name":"a\xff"}', 'latin1'),
    Buffer.from('name=a%FF&x=%00'),
    Buffer.from('{"a":'),
    Buffer.from('[]'),
    Buffer.from('null'),
    Buffer.from(''),
  ),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=latin1',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'text/plain',
  'application/graphql',
  'application/graphql+json',
  '',
  'garbage/;;=',
);

/** Headers a client controls, including credentials that are wrong in every way. */
const headersFor = (token: string) =>
  fc
    .record(
      {
        authorization: fc.constantFrom(
          `Bearer ${token}`,
          `Bearer ${token}`,
          'Bearer ',
          'Bearer token-x:y',
          'Basic %%%',
          'Basic dG9rZW4teDp5',
          'Digest x',
          `Bearer ${token}\u00e9`,
        ),
        cookie: fc.constantFrom('R_SESS=token-x:y', 'R_SESS=', 'CSRF=a; R_SESS=%FF', 'R_SESS=token-x:y; CSRF=z'),
        'x-api-csrf': fc.constantFrom('z', '', 'a'),
        'x-api-request-url': fc.constantFrom('https://evil.example/v3', '//evil.example/v3', '/v3/users', '%FF', '/\\evil'),
        'x-forwarded-host': fc.constantFrom('evil.example', 'a b', '[::1]:80', ''),
        'x-forwarded-proto': fc.constantFrom('https', 'javascript', ''),
        'x-api-action-links': fc.constant('actionLinks'),
        origin: fc.constantFrom('https://evil.example', 'null', ''),
        'user-agent': fc.constantFrom('Mozilla/5.0', 'curl/8', ''),
      },
      { requiredKeys: ['authorization'] },
    )
    .map((headers) => Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== '')));

/** GraphQL documents: valid operations, near misses, and token soup. */
const documentToken = fc.constantFrom(
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ':',
  '$x',
  '...',
  '@skip(if: true)',
  '@include(if: $x)',
  'query',
  'mutation',
  'subscription',
  'fragment F on Cluster',
  'on',
  'clusters',
  'cluster(id: "c-x")',
  'createCluster(input: { name: "a\\u0000b" })',
  'createCluster(input: { name: $x })',
  'deleteCluster(id: "%FF")',
  'login(input: { username: "\\ud800", password: "x" })',
  'users(first: 100000)',
  'settings(last: -1)',
  'edges',
  'node',
  'id',
  'name',
  'totalCount',
  '__typename',
  '__schema { types { name } }',
  '"\\u0000"',
  '1e999',
  '-0',
  '#',
  '"""',
  'a'.repeat(64),
);
const document = fc.oneof(
  fc.array(documentToken, { maxLength: 14 }).map((tokens) => tokens.join(' ')),
  fc.constantFrom(
    '{ clusters { totalCount } }',
    'query($x: String) { clusters(filter: { name: { eq: $x } }) { totalCount } }',
    'mutation($x: String!) { createCluster(input: { name: $x }) { id } }',
    'subscription { resourceChanges { id } }',
  ),
  fc.string({ maxLength: 60 }),
);
const variables = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(fc.constantFrom('x', 'input', 'id', '__proto__'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 1 }),
);

// ---- what each face must answer -------------------------------------------

const parsed = (exchange: Exchange): unknown => {
  try {
    return JSON.parse(exchange.text);
  } catch {
    return undefined;
  }
};

/** Norman's error object, with the response's own status. */
function expectNormanError(exchange: Exchange, context: string): void {
  expect(exchange.contentType, context).toMatch(/application\/json/);
  expect(parsed(exchange), context).toMatchObject({ type: 'error', status: exchange.status, code: expect.any(String), message: expect.any(String) });
}

/** A GraphQL answer: data, or errors that each carry a code. */
function expectGraphQLAnswer(exchange: Exchange, context: string): void {
  const answer = parsed(exchange) as { data?: unknown; errors?: Array<{ extensions?: { code?: unknown } }> } | undefined;
  expect(answer, `${context} → ${exchange.text.slice(0, 200)}`).toBeTypeOf('object');
  if (answer?.errors) for (const error of answer.errors) expect(error.extensions?.code, `${context} → ${exchange.text.slice(0, 200)}`).toBeTypeOf('string');
  else expect(answer, context).toHaveProperty('data');
}

/** A Kubernetes Status with the response's own status. */
function expectKubernetesStatus(exchange: Exchange, context: string): void {
  expect(parsed(exchange), context).toMatchObject({ kind: 'Status', status: 'Failure', code: exchange.status });
}

describe('fuzzing every face (seeded, bounded)', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ name: 'pglite' });
  });
  afterAll(() => server?.close());

  /** Sends what the arbitrary makes and checks it: never a 5xx, and the face's own format for refusals. */
  const fuzz = <T extends { method: string; path: string; headers: Record<string, string>; body?: Uint8Array }>(
    face: string,
    requests: fc.Arbitrary<T>,
    check: (exchange: Exchange, context: string) => void,
    deliberate: (exchange: Exchange) => boolean = () => false,
  ) =>
    fc.assert(
      fc.asyncProperty(requests, async (request) => {
        const exchange = await send(server.url, request.method, request.path, request.headers, request.body);
        const context = `${face}: ${request.method} ${request.path} ${JSON.stringify(request.headers)} ${request.body ? Buffer.from(request.body).toString('latin1').slice(0, 120) : ''} → ${exchange.status}`;
        if (!deliberate(exchange)) expect(exchange.status, `${context} ${exchange.text.slice(0, 200)}`).toBeLessThan(500);
        check(exchange, context);
      }),
      { seed, numRuns: runsPerFace, endOnFailure: true },
    );

  const methods = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS');
  const withBody = fc.record({ method: methods, query: queryString, body: fc.option(body, { nil: undefined }), contentType });
  const request = (path: fc.Arbitrary<string>) =>
    fc.tuple(path, withBody, headersFor(server.token)).map(([pathname, rest, headers]) => ({
      method: rest.method,
      path: `${pathname}${rest.query}`,
      headers: { accept: 'application/json', 'content-type': rest.contentType, ...headers },
      body: rest.body,
    }));

  it('/v3 answers Norman errors', async () => {
    await fuzz('v3', request(pathUnder('/v3')), (exchange, context) => {
      if (exchange.status >= 400) expectNormanError(exchange, context);
    });
  });

  it('/v3 with the admin’s key answers Norman errors', async () => {
    await fuzz(
      'v3-admin',
      fc.tuple(pathUnder('/v3'), withBody).map(([pathname, rest]) => ({
        method: rest.method,
        path: `${pathname}${rest.query}`,
        headers: { accept: 'application/json', 'content-type': rest.contentType, authorization: `Bearer ${server.token}` },
        body: rest.body,
      })),
      (exchange, context) => {
        if (exchange.status >= 400) expectNormanError(exchange, context);
      },
    );
  });

  it('/v3-public answers Norman errors', async () => {
    await fuzz('v3-public', request(pathUnder('/v3-public')), (exchange, context) => {
      if (exchange.status >= 400) expectNormanError(exchange, context);
    });
  });

  it('/v1 answers Kubernetes Status objects', async () => {
    await fuzz(
      'v1',
      fc.tuple(pathUnder('/v1'), withBody).map(([pathname, rest]) => ({
        method: rest.method,
        path: `${pathname}${rest.query}`,
        headers: { accept: 'application/json', 'content-type': rest.contentType, authorization: `Bearer ${server.token}` },
        body: rest.body,
      })),
      (exchange, context) => {
        if (exchange.status >= 400) expectKubernetesStatus(exchange, context);
      },
    );
  });

  it('/graphql answers GraphQL errors with codes, by POST and by GET', async () => {
    const accept = fc.constantFrom('application/json', 'application/graphql-response+json', 'application/graphql-response+json, application/json');
    const post = fc
      .record({
        document,
        variables,
        operationName: fc.option(fc.constantFrom('A', '', 'x'), { nil: undefined }),
        accept,
        raw: fc.option(body, { freq: 4, nil: undefined }),
        contentType,
      })
      .map((each) => ({
        method: 'POST',
        path: '/graphql',
        headers: { accept: each.accept, 'content-type': each.raw ? each.contentType : 'application/json', authorization: `Bearer ${server.token}` },
        body: each.raw ?? Buffer.from(JSON.stringify({ query: each.document, variables: each.variables, operationName: each.operationName })),
      }));
    const get = fc.record({ document, variables, accept, query: queryString }).map((each) => ({
      method: 'GET',
      path: `/graphql?query=${encodeLoosely(each.document)}${each.variables === undefined ? '' : `&variables=${encodeLoosely(JSON.stringify(each.variables))}`}${each.query.replace('?', '&')}`,
      headers: { accept: each.accept, authorization: `Bearer ${server.token}` },
    }));
    await fuzz('graphql', fc.oneof(post, get), expectGraphQLAnswer);
  });

  it('/meta/proxy refuses in Norman form, and never dials what it may not', async () => {
    const host = fc.constantFrom('127.0.0.1', 'localhost', '169.254.169.254', '[::1]', '0x7f.1', 'evil.invalid', 'a%00b.invalid', '%FF.invalid', '');
    await fuzz(
      'meta-proxy',
      fc.tuple(host, pathUnder(''), withBody, headersFor(server.token)).map(([target, pathname, rest, headers]) => ({
        method: rest.method,
        path: `/meta/proxy/${target}${pathname}${rest.query}`,
        headers: {
          accept: 'application/json',
          'content-type': rest.contentType,
          ...headers,
          'x-api-cattleauth-header': 'bearer credID=nope passwordField=x',
        },
        body: rest.body,
      })),
      (exchange, context) => {
        if (exchange.status >= 400) expectNormanError(exchange, context);
      },
      // Rancher's proxy answers a host off its allow list with 503: the one deliberate 5xx.
      (exchange) => exchange.status === 503 && /not on the proxy allow list/.test(exchange.text),
    );
  });

  it('static routes (the console, the API UI, GraphiQL assets) and unknown paths never fail', async () => {
    const prefix = fc.constantFrom('/dashboard', '/dashboard/assets', '/api-ui', '/graphiql-assets', '', '/static', '/%2e%2e');
    await fuzz(
      'static',
      fc
        .tuple(prefix, pathUnder(''), fc.constantFrom('GET', 'HEAD', 'POST'), queryString)
        .map(([root, pathname, method, query]) => ({ method, path: `${root}${pathname}${query}` || '/', headers: { accept: 'text/html' } })),
      () => undefined,
    );
  });

  it('still answers /ping afterwards', async () => {
    const ping = await send(server.url, 'GET', '/ping', {});
    expect(ping.status).toBe(200);
  });
});
