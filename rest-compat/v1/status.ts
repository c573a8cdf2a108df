import type { GraphQLFormattedError } from 'graphql';
import { asGraphQLErrorShape, errorCodes, type ApiError, type ErrorCode } from '../../src/errors.js';
import { isRequestErrorCode } from '../../src/graphql/request-errors.js';

/**
 * Kubernetes' error object (`kind: Status`), which every /v1 failure answers with,
 * and the translation of this server's error codes into it: the one place the /v1
 * face turns `extensions.code` into an HTTP status and a Kubernetes `reason`.
 */
export interface KubernetesStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[] };
  code: number;
}

/** One field at fault, named by its path in the Kubernetes object (`spec.rkeConfig.machinePools`). */
interface StatusCause {
  field: string;
  reason: string;
  message: string;
}

export class StatusError extends Error {
  override name = 'StatusError';
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    /** The GraphQL field at fault, for the handler to rename into the object's terms. */
    readonly fieldName?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toStatus(details?: KubernetesStatus['details']): KubernetesStatus {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(details ? { details } : {}),
      code: this.code,
    };
  }
}

/** The `reason` Kubernetes gives each of this server's codes; the HTTP status is the server's own (src/errors.ts). */
const reasons: Record<ErrorCode, string> = {
  INVALID_INPUT: 'Invalid',
  BAD_REQUEST: 'BadRequest',
  UNAUTHORIZED: 'Unauthorized',
  PERMISSION_DENIED: 'Forbidden',
  NOT_FOUND: 'NotFound',
  METHOD_NOT_ALLOWED: 'MethodNotAllowed',
  CONFLICT: 'Conflict',
  GONE: 'Expired',
  PAYLOAD_TOO_LARGE: 'RequestEntityTooLarge',
  INVALID_STATE: 'Invalid',
  RATE_LIMITED: 'TooManyRequests',
  INTERNAL_SERVER_ERROR: 'InternalError',
  BAD_GATEWAY: 'InternalError',
  SERVICE_UNAVAILABLE: 'ServiceUnavailable',
  UNAVAILABLE: 'ServiceUnavailable',
  GATEWAY_TIMEOUT: 'Timeout',
};

export function statusFromGraphQLError(error: GraphQLFormattedError): StatusError {
  const extensions = (error.extensions ?? {}) as { code?: string; reason?: string; fieldName?: string; http?: { headers?: Record<string, string> } };
  const code: ErrorCode = isRequestErrorCode(extensions.code)
    ? 'INVALID_INPUT'
    : extensions.code && extensions.code in reasons
      ? (extensions.code as ErrorCode)
      : 'INTERNAL_SERVER_ERROR';
  const status = errorCodes[code];
  // Kubernetes says AlreadyExists for a duplicate name, Conflict for anything else that collides.
  const reason = code === 'CONFLICT' && extensions.reason === 'AlreadyExists' ? 'AlreadyExists' : reasons[code];
  const message = status === 500 ? 'internal server error' : error.message;
  return new StatusError(status, reason, message, extensions.fieldName, extensions.http?.headers ?? {});
}

/** An error raised outside GraphQL (authentication, rate limits, the body reader): the same table, by its code. */
export const statusFromApiError = (error: ApiError): StatusError => statusFromGraphQLError(asGraphQLErrorShape(error));

export const statusNotFound = (message: string) => new StatusError(404, 'NotFound', message);
export const statusMethodNotAllowed = (method: string, what: string) => new StatusError(405, 'MethodNotAllowed', `${method} is not allowed on ${what}`);
export const statusInvalid = (fieldName: string, message: string) => new StatusError(422, 'Invalid', message, fieldName);
export const statusBadRequest = (message: string) => new StatusError(400, 'BadRequest', message);
