import { connect } from 'node:net';
import { expect } from 'vitest';
import { graphqlAs, login, type GraphQLResponse, type TestApp } from '../helpers/app.js';
import { v3, type V3Response } from '../rest-compat/helpers.js';
import type { Json } from '../helpers/json.js';

/**
 * Shared steps of the identity suites: people, keys, raw requests and the exact error
 * shapes each face answers with.
 */

export const userPassword = 'correct horse battery';

/** Creates a user as the admin and returns its id. */
export async function createUser(server: TestApp, username: string, input: Record<string, unknown> = {}): Promise<string> {
  const created = await server.graphql(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
    input: { username, password: userPassword, ...input },
  });
  expect(created.errors).toBeUndefined();
  return created.data!.createUser.id as string;
}

/** A user created by the admin and logged in: their id and session key. */
export async function signUp(server: TestApp, username: string): Promise<{ id: string; token: string }> {
  const id = await createUser(server, username);
  return { id, token: await login(server.url, username, userPassword) };
}

export const tokenFields = 'id name description ttl expiresAt expired enabled lastUsedAt userId clusterId projectId created current isDerived token';

/** createToken with `token`'s credential; the answer's key, secret included. */
export async function createKey(server: TestApp, token: string, input: Record<string, unknown> = {}): Promise<Record<string, Json>> {
  const created = await graphqlAs(server.url, token, `mutation($input: CreateTokenInput!) { createToken(input: $input) { ${tokenFields} } }`, { input });
  expect(created.errors).toBeUndefined();
  return created.data!.createToken;
}

/** The secret half of `token-xxxxx:<secret>`. */
export const secretOf = (token: string): string => token.slice(token.indexOf(':') + 1);

export const basic = (token: string): string => `Basic ${Buffer.from(token).toString('base64')}`;

/** GET /v3/clusters with an Authorization header (or none): the status tells whether the credential works. */
export async function v3With(server: TestApp, headers: Record<string, string>, path = '/v3/clusters'): Promise<V3Response> {
  return v3({ url: server.url }, 'GET', path, undefined, headers);
}

/** The status a key gets on /v3: 200 while it works, 401 once it does not. */
export async function statusWith(server: TestApp, token: string): Promise<number> {
  return (await v3With(server, { authorization: `Bearer ${token}` })).status;
}

/** The stored row of a key, every column, as the database returns it. */
export async function storedToken(server: TestApp, id: string): Promise<Record<string, unknown>> {
  const rows = await server.app.database.prisma.$queryRawUnsafe<Array<Record<string, unknown>>>('SELECT * FROM "Token" WHERE "id" = $1', id);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

/** The one error a GraphQL answer carries, with its code (and fieldName when given). */
export function expectGraphQLError(result: GraphQLResponse<unknown>, code: string, fieldName?: string): void {
  expect(result.errors, JSON.stringify(result)).toHaveLength(1);
  expect(result.errors![0]!.extensions).toMatchObject({ code, ...(fieldName ? { fieldName } : {}) });
}

/**
 * What a caller gets for something missing or hidden from them: a lookup (a query)
 * answers null without an error, so the rest of the answer stands; a mutation fails
 * with NOT_FOUND.
 */
export function expectHidden(result: GraphQLResponse<unknown>, operation: string): void {
  if (/^\s*(query\b|\{)/.test(operation)) {
    expect(result.errors, JSON.stringify(result)).toBeUndefined();
    expect(Object.values(result.data as Record<string, unknown>), JSON.stringify(result)).toEqual([null]);
  } else expectGraphQLError(result, 'NOT_FOUND');
}

/** Norman's error object, exactly as rest-compat/errors.ts writes it. */
export function expectNormanError(response: V3Response, status: number, code: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body).toMatchObject({ type: 'error', baseType: 'error', status, code });
  expect(typeof response.body.message).toBe('string');
}

/** The 401 every bad credential gets on /v3: Norman's Unauthorized and a Basic challenge. */
export function expectNormanUnauthorized(response: V3Response): void {
  expectNormanError(response, 401, 'Unauthorized');
  expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
}

/**
 * A request written byte by byte on a socket, for headers `fetch` refuses to send
 * (non-ASCII, oversized). Answers the status code, or 0 if the server hung up.
 */
export function rawRequest(server: TestApp, head: Buffer | string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(head));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => (text += chunk));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve({ status: statusOf(text), text }) : reject(error),
    );
    socket.on('close', () => resolve({ status: statusOf(text), text }));
  });
}

function statusOf(text: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
}

/** A browser session: the cookies a cookie login sets, as a browser would send them back. */
export interface Session {
  cookie: string;
  csrf: string;
}

/** Logs in as the admin with `responseType: "cookie"`, as the API UI does. */
export async function cookieLogin(server: TestApp): Promise<Session> {
  const response = await fetch(`${server.url}/v3-public/localProviders/local?action=login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: server.adminPassword, responseType: 'cookie' }),
  });
  const cookies = response.headers.getSetCookie();
  const value = (name: string) => cookies.map((cookie) => new RegExp(`^${name}=([^;]*)`).exec(cookie)?.[1]).find(Boolean)!;
  return { cookie: value('R_SESS'), csrf: value('CSRF') };
}
