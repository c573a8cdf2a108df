import { isJsonObject } from '../json-object.js';

/**
 * The credential a graphql-ws client sends in its ConnectionInit payload
 * (`connectionParams`), for a browser page that cannot put a header on a WebSocket.
 * Clients send it in several conventions, all taken (key names in any case):
 *
 *  - `authorization`: an Authorization header value, `Bearer <key>` or `Basic <base64>`
 *    (graphql-ws', Apollo's and urql's examples);
 *  - `headers: { authorization }`: the headers a server should pretend the upgrade had
 *    (Hasura's convention, which many clients follow);
 *  - `token`, `authToken`: the key alone (Apollo's documentation).
 *
 * A value without a scheme is the key itself, taken as `Bearer <value>`. Several of them
 * must say the same. What comes back is an Authorization header value for the one
 * authentication step (src/auth/authenticate.ts), which decides whether it is a valid key.
 */
export type ConnectionCredential =
  /** None was sent: no key, or each left empty or null (what a client sends when logged out). */
  | { kind: 'none' }
  | { kind: 'presented'; authorization: string }
  /** A value that is not a string, or two that differ: refused without looking any key up. */
  | { kind: 'unusable'; reason: string };

const keyNames = new Set(['authorization', 'token', 'authtoken']);

export function connectionCredential(params: Readonly<Record<string, unknown>> | undefined): ConnectionCredential {
  const values = [...credentialValues(params)].filter((value) => value !== null && value !== undefined && value !== '');
  if (values.length === 0) return { kind: 'none' };
  if (values.some((value) => typeof value !== 'string')) return { kind: 'unusable', reason: 'a connectionParams credential must be a string' };
  const presented = new Set((values as string[]).map(asAuthorization));
  if (presented.size > 1) return { kind: 'unusable', reason: 'connectionParams carry different credentials' };
  return { kind: 'presented', authorization: [...presented][0]! };
}

/** Every value of a credential key, at the top level and in `headers`. */
function* credentialValues(params: Readonly<Record<string, unknown>> | undefined): Generator<unknown> {
  for (const [name, value] of Object.entries(params ?? {})) {
    if (keyNames.has(name.toLowerCase())) yield value;
    else if (name.toLowerCase() === 'headers' && isJsonObject(value))
      for (const [header, headerValue] of Object.entries(value)) if (header.toLowerCase() === 'authorization') yield headerValue;
  }
}

function asAuthorization(value: string): string {
  return /^\s*(bearer|basic)\s/i.test(value) ? value : `Bearer ${value}`;
}
