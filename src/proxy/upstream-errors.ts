import { errors as undiciErrors } from 'undici';
import { ApiError } from '../errors.js';

/** A failure on the way to the upstream, tagged by our own connector or timers. */
export class UpstreamFailure extends Error {
  override name = 'UpstreamFailure';

  constructor(
    readonly kind: 'connect' | 'tls' | 'connect-timeout' | 'tls-timeout' | 'total-timeout',
    /** A stable reason such as ECONNREFUSED or DEPTH_ZERO_SELF_SIGNED_CERT — never an address. */
    readonly reason: string,
  ) {
    super(`${kind}: ${reason}`);
  }
}

/**
 * Translates whatever the transport threw into the API error the caller sees: 502 when
 * the upstream could not be reached or its TLS failed, 504 on a timeout. Messages name
 * the cause, never an internal address (Node's own messages carry `ip:port`).
 */
export function toUpstreamApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof UpstreamFailure) return fromFailure(error);
  if (error instanceof undiciErrors.HeadersTimeoutError) return new ApiError('GATEWAY_TIMEOUT', 'the upstream sent no response headers in time');
  if (error instanceof undiciErrors.BodyTimeoutError) return new ApiError('GATEWAY_TIMEOUT', 'the upstream stopped sending its response');
  if (error instanceof undiciErrors.ConnectTimeoutError) return new ApiError('GATEWAY_TIMEOUT', 'connecting to the upstream timed out');
  if (error instanceof undiciErrors.SocketError) return new ApiError('BAD_GATEWAY', 'the upstream closed the connection');
  if (error instanceof undiciErrors.RequestAbortedError) return new ApiError('BAD_GATEWAY', 'the request was aborted');
  return new ApiError('BAD_GATEWAY', `the upstream request failed${errorCode(error) ? ` (${errorCode(error)})` : ''}`);
}

function fromFailure(failure: UpstreamFailure): ApiError {
  switch (failure.kind) {
    case 'connect':
      return new ApiError('BAD_GATEWAY', `the upstream is unreachable (${failure.reason})`);
    case 'tls':
      return new ApiError('BAD_GATEWAY', `the TLS handshake with the upstream failed (${failure.reason})`);
    case 'connect-timeout':
      return new ApiError('GATEWAY_TIMEOUT', 'connecting to the upstream timed out');
    case 'tls-timeout':
      return new ApiError('GATEWAY_TIMEOUT', 'the TLS handshake with the upstream timed out');
    case 'total-timeout':
      return new ApiError('GATEWAY_TIMEOUT', 'the upstream did not answer in time');
  }
}

/** Node's error code (ECONNREFUSED, CERT_HAS_EXPIRED, …), which names a cause and no address. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : undefined;
}
