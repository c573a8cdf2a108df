import type { GraphQLFormattedError } from 'graphql';
import { ApiError, asGraphQLErrorShape, StatusError, toApiError, type ErrorCode } from '../src/errors.js';
import type { Logger } from '../src/logger.js';
import { isRequestErrorCode } from '../src/graphql/request-errors.js';

/**
 * Norman's error object and the translation of this server's error codes into it:
 * the one place the /v3 face turns `extensions.code` into a status and a Norman code.
 */
export interface NormanError {
  type: 'error';
  baseType: 'error';
  status: number;
  code: string;
  message: string;
  fieldName?: string;
}

export class NormanHttpError extends StatusError {
  override name = 'NormanHttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldName?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message, status);
  }

  toJSON(): NormanError {
    return {
      type: 'error',
      baseType: 'error',
      status: this.status,
      code: this.code,
      message: this.message,
      ...(this.fieldName ? { fieldName: this.fieldName } : {}),
    };
  }
}

/**
 * THE Norman error table: this server's error codes (the GraphQL `extensions.code`
 * set, src/errors.ts) → HTTP status and Norman code. Every REST-ish face writes its
 * errors through it — /v3, /v3-public, /meta/proxy and the router's own refusals —
 * so one condition answers with one code and one status everywhere.
 *
 * Norman's own names where its `httperror` package has one (`InvalidBodyContent`,
 * `MethodNotAllow` — sic —, `ServerError`, …); for what Norman lacks, the HTTP
 * reason phrase in PascalCase. A 422 or 409 with a finer `reason`
 * (`MissingRequired`, `InvalidCSRFToken`, `AlreadyExists`…) answers that reason.
 * Typed by ErrorCode, so a new code cannot be added without its Norman name.
 */
export const normanErrorTable: Record<ErrorCode, { status: number; code: string }> = {
  INVALID_INPUT: { status: 422, code: 'InvalidFormat' },
  BAD_REQUEST: { status: 400, code: 'InvalidBodyContent' },
  UNAUTHORIZED: { status: 401, code: 'Unauthorized' },
  PERMISSION_DENIED: { status: 403, code: 'PermissionDenied' },
  NOT_FOUND: { status: 404, code: 'NotFound' },
  METHOD_NOT_ALLOWED: { status: 405, code: 'MethodNotAllow' },
  CONFLICT: { status: 409, code: 'Conflict' },
  GONE: { status: 410, code: 'Gone' },
  PAYLOAD_TOO_LARGE: { status: 413, code: 'RequestEntityTooLarge' },
  INVALID_STATE: { status: 422, code: 'InvalidState' },
  RATE_LIMITED: { status: 429, code: 'TooManyRequests' },
  INTERNAL_SERVER_ERROR: { status: 500, code: 'ServerError' },
  BAD_GATEWAY: { status: 502, code: 'BadGateway' },
  SERVICE_UNAVAILABLE: { status: 503, code: 'ServiceUnavailable' },
  UNAVAILABLE: { status: 503, code: 'ServiceUnavailable' },
  GATEWAY_TIMEOUT: { status: 504, code: 'GatewayTimeout' },
};

/** The table's row for any `extensions.code`; unknown codes are internal errors. */
function rowOf(code: string | undefined): { status: number; code: string } {
  // GraphQL's refusals of a document or its variables (src/graphql/request-errors.ts): the caller's input.
  if (isRequestErrorCode(code)) return normanErrorTable.INVALID_INPUT;
  return code && code in normanErrorTable ? normanErrorTable[code as ErrorCode] : normanErrorTable.INTERNAL_SERVER_ERROR;
}

export function fromGraphQLError(error: GraphQLFormattedError): NormanHttpError {
  const extensions = (error.extensions ?? {}) as { code?: string; reason?: string; fieldName?: string; http?: { headers?: Record<string, string> } };
  const mapped = rowOf(extensions.code);
  const code = extensions.reason && (mapped.status === 422 || mapped.status === 409) ? extensions.reason : mapped.code;
  const message = mapped.status === 500 ? 'internal server error' : error.message;
  return new NormanHttpError(mapped.status, code, message, extensions.fieldName, extensions.http?.headers ?? {});
}

/** An error raised outside GraphQL (authentication, rate limits, the body reader): the same table, by its code. */
export const fromApiError = (error: ApiError): NormanHttpError => fromGraphQLError(asGraphQLErrorShape(error));

const fromTable = (code: ErrorCode, message: string) => new NormanHttpError(normanErrorTable[code].status, normanErrorTable[code].code, message);
export const notFound = (what: string) => fromTable('NOT_FOUND', `${what} not found`);
export const methodNotAllowed = (method: string, what: string) => fromTable('METHOD_NOT_ALLOWED', `${method} is not allowed on ${what}`);
/** The answer to an error nobody expected: details stay in the log. */
const serverError = () => fromTable('INTERNAL_SERVER_ERROR', 'internal server error');

/** Whatever a REST handler caught, as the Norman error to answer; anything unexpected is logged and answers 500 without details. */
export function normanErrorOf(error: unknown, logger: Logger): NormanHttpError {
  if (error instanceof NormanHttpError) return error;
  const apiError = toApiError(error);
  if (apiError instanceof ApiError) return fromApiError(apiError);
  logger.error({ err: error }, 'unexpected error in a REST face');
  return serverError();
}
