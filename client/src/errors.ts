import { retryAfterSeconds } from './retry-after.js';

/** One error of a GraphQL response, as the server sends it. */
export interface GraphQLErrorPayload {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; fieldName?: string; fieldPath?: ReadonlyArray<string | number>; [key: string]: unknown };
}

/**
 * Every failure of a hook or `fetcher`: GraphQL errors carry the server's
 * `extensions.code` (UNAUTHORIZED, NOT_FOUND, INVALID_INPUT with `fieldName`, …), and
 * failures that never produced a GraphQL answer get codes of their own:
 * NETWORK_ERROR (no response at all: server down, CORS refusal, offline) and
 * HTTP_ERROR (a response that was not GraphQL). So a UI branches on `code`, never text.
 */
export class GraphQLRequestError extends Error {
  override name = 'GraphQLRequestError';
  readonly errors: GraphQLErrorPayload[];
  /** The HTTP status; 0 when no response arrived. */
  readonly status: number;
  /**
   * The response's headers (`RateLimit`, `X-RateLimit-Remaining`, …); empty when no
   * response arrived. Across origins a browser shows only those the server exposes by
   * CORS, which include the rate-limit headers and `Retry-After`.
   */
  readonly headers: Headers;
  /**
   * Seconds to wait before asking again, when the server said (`Retry-After`): on 429
   * for the per-minute request limit, on 503 while its database is away. Undefined
   * otherwise — a field's own limit (`login`, `createToken`, …) does not say when.
   */
  readonly retryAfter: number | undefined;

  constructor(errors: GraphQLErrorPayload[], status: number, options?: { cause?: unknown; headers?: Headers }) {
    super(errors.map((error) => error.message).join('; '), options);
    this.errors = errors;
    this.status = status;
    this.headers = options?.headers ?? new Headers();
    // Read once, here: an HTTP-date counts from when the answer arrived.
    this.retryAfter = retryAfterSeconds(this.headers.get('retry-after'));
  }

  /** The code of the first error. */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }

  /** The first error about the named input field (INVALID_INPUT's `fieldName`), for forms. */
  errorFor(fieldName: string): GraphQLErrorPayload | undefined {
    return this.errors.find((error) => error.extensions?.fieldName === fieldName);
  }

  /**
   * The error about one input inside a field (`["machinePools", 0, "name"]`: INVALID_INPUT's
   * `fieldPath`), for forms that render nested inputs; a one-segment path is {@link errorFor}.
   */
  errorAt(path: ReadonlyArray<string | number>): GraphQLErrorPayload | undefined {
    if (path.length === 1) return this.errorFor(String(path[0]));
    return this.errors.find((error) => {
      const at = error.extensions?.fieldPath;
      return at !== undefined && at.length === path.length && at.every((segment, index) => segment === path[index]);
    });
  }
}
