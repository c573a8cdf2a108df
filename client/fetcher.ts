/**
 * The transport behind the generated hooks (client/generated/hooks.ts).
 *
 * A frontend calls `configureClient` once (endpoint, and how to authenticate), then
 * uses the hooks. GraphQL errors reject the query with a {@link GraphQLRequestError}
 * carrying every error's `extensions.code`, so a UI can branch on codes, not text.
 */
export interface ClientOptions {
  /** Absolute or relative URL of the GraphQL endpoint; default `/graphql`. */
  endpoint?: string;
  /** Extra headers per request, e.g. `{ authorization: 'Bearer token-abcde:…' }`. */
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

let options: ClientOptions = {};

export function configureClient(next: ClientOptions): void {
  options = next;
}

/** The transport settings, for the other client modules (live-changes.ts). */
export function clientOptions(): ClientOptions {
  return options;
}

export interface GraphQLErrorPayload {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; fieldName?: string; [key: string]: unknown };
}

export class GraphQLRequestError extends Error {
  override name = 'GraphQLRequestError';
  constructor(
    readonly errors: GraphQLErrorPayload[],
    readonly status: number,
  ) {
    super(errors.map((error) => error.message).join('; '));
  }

  /** The code of the first error: UNAUTHORIZED, NOT_FOUND, INVALID_INPUT, CONFLICT, … */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

/**
 * Called by the generated hooks. The document arrives as a string-like object
 * (codegen's TypedDocumentString), hence `String(document)`.
 */
export function fetcher<TData, TVariables>(document: { toString(): string } | string, variables?: TVariables, requestHeaders?: RequestInit['headers']) {
  return async (): Promise<TData> => {
    const send = options.fetch ?? fetch;
    const response = await send(options.endpoint ?? '/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(await options.headers?.()),
        ...Object.fromEntries(new Headers(requestHeaders).entries()),
      },
      body: JSON.stringify({ query: String(document), variables }),
    });
    const payload = (await response.json().catch(() => ({}))) as { data?: TData; errors?: GraphQLErrorPayload[] };
    if (payload.errors?.length) throw new GraphQLRequestError(payload.errors, response.status);
    if (!response.ok || payload.data === undefined) {
      throw new GraphQLRequestError([{ message: `HTTP ${response.status}`, extensions: { code: 'HTTP_ERROR' } }], response.status);
    }
    return payload.data;
  };
}
