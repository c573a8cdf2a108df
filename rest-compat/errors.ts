import type { GraphQLFormattedError } from 'graphql';
import { asGraphQLErrorShape, type ApiError } from '../src/errors.js';

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

export class NormanHttpError extends Error {
  override name = 'NormanHttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldName?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toJSON(): NormanError {
    return { type: 'error', baseType: 'error', status: this.status, code: this.code, message: this.message, ...(this.fieldName ? { fieldName: this.fieldName } : {}) };
  }
}

/** GraphQL error code → HTTP status and Norman code (`reason` refines 422s and 409s). */
const byCode: Record<string, { status: number; code: string }> = {
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
  BAD_GATEWAY: { status: 502, code: 'BadGateway' },
  SERVICE_UNAVAILABLE: { status: 503, code: 'ServiceUnavailable' },
  GATEWAY_TIMEOUT: { status: 504, code: 'GatewayTimeout' },
  // GraphQL's own failures, reached only through a bug in the generated documents.
  GRAPHQL_VALIDATION_FAILED: { status: 422, code: 'InvalidFormat' },
  BAD_USER_INPUT: { status: 422, code: 'InvalidFormat' },
};

export function fromGraphQLError(error: GraphQLFormattedError): NormanHttpError {
  const extensions = (error.extensions ?? {}) as { code?: string; reason?: string; fieldName?: string; http?: { headers?: Record<string, string> } };
  const mapped = byCode[extensions.code ?? ''] ?? { status: 500, code: 'ServerError' };
  const code = extensions.reason && (mapped.status === 422 || mapped.status === 409) ? extensions.reason : mapped.code;
  const message = mapped.status === 500 ? 'internal server error' : error.message;
  return new NormanHttpError(mapped.status, code, message, extensions.fieldName, extensions.http?.headers ?? {});
}

/** An error raised outside GraphQL (authentication, rate limits, the body reader): the same table, by its code. */
export const fromApiError = (error: ApiError): NormanHttpError => fromGraphQLError(asGraphQLErrorShape(error));

export const notFound = (what: string) => new NormanHttpError(404, 'NotFound', `${what} not found`);
export const methodNotAllowed = (method: string, what: string) => new NormanHttpError(405, 'MethodNotAllow', `${method} is not allowed on ${what}`);
