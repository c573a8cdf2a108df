import { isDatabaseUnavailable, isEncodingRefusal } from './db/failures.js';

/**
 * Errors are values with codes. Services raise them; each face (GraphQL, /v3, the
 * proxy route) translates them once, in one place, into its own wire format.
 */
/** The first line of an error's message: enough for an operator's one line, no stack. */
export function firstLine(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

export const errorCodes = {
  INVALID_INPUT: 422,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  /** A resume point (revision, resourceVersion) older than the change window: list again. */
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  INVALID_STATE: 422,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
  BAD_GATEWAY: 502,
  SERVICE_UNAVAILABLE: 503,
  /** The database cannot be reached right now: retry (with Retry-After), not a bug. */
  UNAVAILABLE: 503,
  GATEWAY_TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface ApiErrorDetails {
  /** The one input field at fault, as the caller named it (`name`, `machinePools`). */
  fieldName?: string;
  /** Where inside that field, when it is not the field itself: `["machinePools", 0, "quantity"]`. */
  fieldPath?: ReadonlyArray<string | number>;
  /** A finer reason for faces that distinguish them (Norman's `MissingRequired`, `MaxLengthExceeded`, …). */
  reason?: string;
  /** Extra response headers, e.g. `Retry-After` for RATE_LIMITED. */
  headers?: Record<string, string>;
  /** For NOT_FOUND: the `<type>:<id>` that was missing, so a caller can tell its own lookup's miss from a deeper one. */
  resource?: string;
}

/**
 * An error that carries an HTTP status. One below 500 is an answer about the request
 * (refused, not found, invalid), never a fault of ours: its stack is never shown or
 * logged, so none is captured. Capturing one costs ≈ 4 µs at a request's depth against
 * ≈ 0.4 µs without (a micro-benchmark, 15 frames deep), and a refused request made two
 * such errors: a fifth of its CPU in a flood of bad keys or of rate-limited calls.
 */
export class StatusError extends Error {
  constructor(message: string, status: number) {
    const stackTraceLimit = Error.stackTraceLimit;
    if (status < 500) Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
  }
}

export class ApiError extends StatusError {
  override name = 'ApiError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ApiErrorDetails = {},
  ) {
    super(message, errorCodes[code]);
  }

  get status(): number {
    return errorCodes[this.code];
  }
}

/**
 * An API error raised outside GraphQL (authentication, rate limits, a REST face's body
 * reader) in the shape of a GraphQL error's message and extensions, so each REST
 * face translates it through the same table as the errors of its operations.
 */
export function asGraphQLErrorShape(error: ApiError): { message: string; extensions: Record<string, unknown> } {
  const { fieldName, reason, headers } = error.details;
  return {
    message: error.message,
    extensions: { code: error.code, ...(reason ? { reason } : {}), ...(fieldName ? { fieldName } : {}), ...(headers ? { http: { headers } } : {}) },
  };
}

/**
 * Several invalid input fields at once, one error each (a form shows them all). It
 * reads as the first, so a face that reports one error (/v3, Norman's way) names the
 * first; GraphQL reports every one (src/graphql/input-errors.ts).
 */
export class InvalidInputs extends ApiError {
  constructor(readonly issues: readonly [ApiError, ...ApiError[]]) {
    super('INVALID_INPUT', issues[0].message, issues[0].details);
  }
}

export const notFound = (type: string, id: string) => new ApiError('NOT_FOUND', `${type} ${JSON.stringify(id)} not found`, { resource: `${type}:${id}` });

/** Seconds a client should wait before retrying while the database is away. */
const databaseRetryAfterSeconds = 5;

const databaseUnavailable = () =>
  new ApiError('UNAVAILABLE', 'the database is not reachable right now; retry shortly', { headers: { 'Retry-After': String(databaseRetryAfterSeconds) } });

export const invalidInput = (fieldName: string, message: string, reason?: string) =>
  new ApiError('INVALID_INPUT', message, { fieldName, ...(reason ? { reason } : {}) });

/**
 * Maps errors from below the service layer (Prisma's known request errors, the
 * database's encoding refusals, a lost connection) onto API errors. Anything unrecognised stays as it is and is reported as an internal
 * error by the face, without its message.
 */
export function toApiError(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'P2002') {
    const target = uniqueTarget(error);
    return new ApiError('CONFLICT', `a resource with this ${target ?? 'name'} already exists`, {
      ...(target ? { fieldName: target } : {}),
      reason: 'AlreadyExists',
    });
  }
  if (code === 'P2025') return new ApiError('NOT_FOUND', 'resource not found');
  if (code === 'P2003') return new ApiError('INVALID_INPUT', 'a referenced resource does not exist', { reason: 'InvalidReference' });
  // Normally refused earlier (graphql/well-formed-strings.ts); this is the backstop for any path that reaches the database.
  if (isEncodingRefusal(error)) return new ApiError('INVALID_INPUT', 'a string contains a NUL character or invalid UTF-8', { reason: 'InvalidCharacters' });
  if (isDatabaseUnavailable(error)) return databaseUnavailable();
  return error;
}

/**
 * The field a unique-constraint violation is about: `name` for `(clusterId, name)`.
 * Drivers report either the columns (PGlite) or the index name, which Prisma
 * spells `<Model>_<column>…_key`.
 */
function uniqueTarget(error: unknown): string | undefined {
  const meta = (error as { meta?: Record<string, unknown> }).meta ?? {};
  const cause = (meta.driverAdapterError as { cause?: { table?: string; constraint?: { fields?: string[]; index?: string } } } | undefined)?.cause;
  const target = meta.target as string[] | string | undefined;
  const index = cause?.constraint?.index;
  const columns =
    (Array.isArray(target) ? target : typeof target === 'string' ? [target] : undefined) ??
    cause?.constraint?.fields ??
    (index && cause?.table
      ? index
          .replace(`${cause.table}_`, '')
          .replace(/_(key|pkey)$/, '')
          .split('_')
      : []);
  const names = columns.map((column) => column.replaceAll('"', '')).filter((column) => !column.endsWith('Id'));
  return names.at(-1);
}
