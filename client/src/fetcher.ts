import { GraphQLRequestError, type GraphQLErrorPayload } from './errors.js';

/**
 * The transport behind the generated hooks (./generated/hooks.ts) and the live-changes
 * watch (./live-changes.ts).
 *
 * A frontend calls `configureClient` once (endpoint, and how to authenticate), then
 * uses the hooks. Every failure rejects with a {@link GraphQLRequestError}.
 */
export interface ClientOptions {
  /** Absolute or relative URL of the GraphQL endpoint; default `/graphql`. */
  endpoint?: string;
  /** Extra headers per request, e.g. `{ authorization: 'Bearer token-abcde:…' }`. */
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  /**
   * Whether cookies go along (fetch's `credentials`): default `same-origin`; an app on
   * another origin that logs in with the session cookie sets `include` (the server must
   * list its origin for CORS).
   */
  credentials?: RequestCredentials;
  /**
   * Send operations by hash (the persisted-documents manifest the server knows) instead
   * of their text, falling back to the text when the server does not know the hash.
   * Default true; a server that runs only trusted documents needs it.
   */
  persisted?: boolean;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

let options: ClientOptions = {};

export function configureClient(next: ClientOptions): void {
  options = next;
}

/**
 * What the function `fetcher` returns reads of its argument. TanStack Query calls a
 * `queryFn` with its QueryFunctionContext, whose `signal` aborts when the query is
 * cancelled (no component uses it any more, its key changed, `cancelQueries`): the
 * request is then aborted too, instead of downloading an answer nobody will read.
 */
export interface FetchContext {
  signal?: AbortSignal;
}

/**
 * Called by the generated hooks, which hand its function to TanStack Query as `queryFn`;
 * usable alone with an exported document:
 * `fetcher<ClustersQuery, ClustersQueryVariables>(ClustersDocument, { first: 5 })({ signal })`.
 * The document arrives as a string-like object (codegen's TypedDocumentString). Aborted,
 * it rejects with the signal's reason (an `AbortError`), as fetch does.
 */
export function fetcher<TData, TVariables>(document: Document, variables?: TVariables, requestHeaders?: RequestInit['headers']) {
  return async (context?: FetchContext): Promise<TData> => {
    // Reading `signal` also tells TanStack Query that this query can be cancelled: it
    // aborts only the queries whose function read it.
    const signal = context?.signal;
    const byHash = await bodyByHash(document, variables);
    if (byHash) {
      const answer = await post<TData>(byHash, requestHeaders, signal);
      // An older or newer server may not know this client's documents: send the text.
      if (answer.code !== 'PERSISTED_QUERY_NOT_IN_LIST') return unwrap(answer);
    }
    return unwrap(await post<TData>(bodyByText(document, variables), requestHeaders, signal));
  };
}

/** An operation's document: a string, or codegen's string-like TypedDocumentString. */
type Document = { toString(): string } | string;

/**
 * The request body naming `document` by its hash in the persisted-documents manifest, as a
 * server that runs only trusted documents requires; undefined when the client sends no
 * hashes (`persisted: false`, or no WebCrypto to make them).
 */
export async function bodyByHash(document: Document, variables: unknown): Promise<Record<string, unknown> | undefined> {
  const hash = options.persisted === false ? undefined : await documentHash(String(document));
  return hash === undefined ? undefined : { variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } };
}

/** The request body carrying `document`'s text, for a server that does not know its hash. */
export function bodyByText(document: Document, variables: unknown): Record<string, unknown> {
  return { query: String(document), variables };
}

/** The key of a document in the persisted-documents manifest: SHA-256 of its text, hex. */
export async function documentHash(document: string): Promise<string | undefined> {
  // WebCrypto exists only in secure contexts (https, or loopback); elsewhere send text.
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return undefined;
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(document));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Sends one GraphQL request as configured — the endpoint, `credentials`, the headers —
 * accepting `accept`: every request of the client goes out here, the hooks' and the
 * live-changes watch's (live-changes.ts), so they reach the server alike.
 */
export async function send(
  body: Record<string, unknown>,
  accept: string,
  extra: { headers?: Record<string, string>; signal?: AbortSignal | undefined } = {},
): Promise<Response> {
  return (options.fetch ?? fetch)(options.endpoint ?? '/graphql', {
    method: 'POST',
    credentials: options.credentials ?? 'same-origin',
    headers: { 'content-type': 'application/json', accept, ...(await options.headers?.()), ...extra.headers },
    body: JSON.stringify(body),
    signal: extra.signal ?? null,
  });
}

interface Answer<TData> {
  status: number;
  headers: Headers;
  data?: TData;
  errors?: GraphQLErrorPayload[];
  code?: string;
}

async function post<TData>(body: Record<string, unknown>, requestHeaders: RequestInit['headers'], signal: AbortSignal | undefined): Promise<Answer<TData>> {
  let response: Response;
  try {
    response = await send(body, 'application/graphql-response+json, application/json', { headers: headerRecord(requestHeaders), signal });
  } catch (cause) {
    // Cancelled, not failed: the caller's own abort, which TanStack Query discards.
    signal?.throwIfAborted();
    // fetch rejects with a bare TypeError ("Failed to fetch") for every transport failure.
    throw new GraphQLRequestError([{ message: `Network error: ${(cause as Error).message}`, extensions: { code: 'NETWORK_ERROR' } }], 0, { cause });
  }
  const payload = (await response.json().catch(() => ({}))) as { data?: TData; errors?: GraphQLErrorPayload[] };
  // An abort while the body was read leaves it unreadable: that is the abort, not an HTTP_ERROR.
  signal?.throwIfAborted();
  return { status: response.status, headers: response.headers, ...payload, code: payload.errors?.[0]?.extensions?.code };
}

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  const record: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

function unwrap<TData>(answer: Answer<TData>): TData {
  if (answer.errors?.length) throw new GraphQLRequestError(answer.errors, answer.status, { headers: answer.headers });
  if (answer.status < 200 || answer.status > 299 || answer.data === undefined) {
    throw new GraphQLRequestError([{ message: `HTTP ${answer.status}`, extensions: { code: 'HTTP_ERROR' } }], answer.status, { headers: answer.headers });
  }
  return answer.data;
}
