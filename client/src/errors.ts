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

  constructor(errors: GraphQLErrorPayload[], status: number, options?: { cause?: unknown }) {
    super(errors.map((error) => error.message).join('; '), options);
    this.errors = errors;
    this.status = status;
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
