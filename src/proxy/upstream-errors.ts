import { ApiError } from '../errors.js';

/** A failure on the way to the upstream, tagged by our own connector or timers. */
export class UpstreamFailure extends Error {
  override name = 'UpstreamFailure';

  constructor(
    readonly kind: 'connect' | 'tls' | 'connect-timeout' | 'tls-timeout' | 'total-timeout' | 'aborted',
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
  const undiciMeaning = undiciMeanings.get(errorCode(error) ?? '');
  if (undiciMeaning) return new ApiError(...undiciMeaning);
  return new ApiError('BAD_GATEWAY', `the upstream request failed${errorCode(error) ? ` (${errorCode(error)})` : ''}`);
}

/**
 * undici's own failures, by the codes its documentation gives each error class (matched
 * by code, so this module need not load undici: the transport loads it with the first call).
 */
const undiciMeanings: ReadonlyMap<string, ConstructorParameters<typeof ApiError>> = new Map([
  ['UND_ERR_HEADERS_TIMEOUT', ['GATEWAY_TIMEOUT', 'the upstream sent no response headers in time']],
  ['UND_ERR_BODY_TIMEOUT', ['GATEWAY_TIMEOUT', 'the upstream stopped sending its response']],
  ['UND_ERR_CONNECT_TIMEOUT', ['GATEWAY_TIMEOUT', 'connecting to the upstream timed out']],
  ['UND_ERR_SOCKET', ['BAD_GATEWAY', 'the upstream closed the connection']],
  ['UND_ERR_ABORTED', ['BAD_GATEWAY', 'the request was aborted']],
]);

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
    case 'aborted':
      return new ApiError('BAD_GATEWAY', 'the request was aborted');
  }
}

/** Node's error code (ECONNREFUSED, CERT_HAS_EXPIRED, …), which names a cause and no address. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : undefined;
}
