import type { IncomingMessage } from 'node:http';
import { isSafeOperation } from '../../rest-compat/parse/operation.js';
import { ApiError } from '../errors.js';
import type { TokenService } from '../services/tokens.js';
import { csrfCookie, presentedCredential } from './credentials.js';
import { callerAddress, type FailedAuthentications } from './failed-authentications.js';
import type { Principal } from './principal.js';

/**
 * The one authentication step every face uses. No credential: null (the face decides
 * whether anonymous is acceptable). A credential that is malformed, unknown, wrong,
 * expired or disabled: UNAUTHORIZED — never a fallback to anonymous.
 *
 * Cookie sessions are what a browser sends by itself, so unsafe methods with one
 * must prove they come from our pages: the `X-API-CSRF` header equal to the CSRF
 * cookie (Rancher's scheme), or a JSON body, which no cross-site form can send
 * without a CORS preflight (how GraphiQL posts). "Unsafe" is judged on what will
 * run (`effectiveOperation`: a `_method` override, an `?action=`), never on the
 * request line alone.
 *
 * A credential that fails counts against the caller's address (`failures`), and an
 * address over its count gets no more keys read from the database for a while.
 */
export async function authenticate(request: IncomingMessage, tokens: TokenService, failures: FailedAuthentications): Promise<Principal | null> {
  // Scripts send the same header with every request: one verified before is known.
  const authorization = request.headers.authorization;
  const recognised = authorization === undefined ? undefined : tokens.recognise(authorization);
  if (recognised) return recognised;
  const credential = presentedCredential(request.headers);
  if (credential === undefined) return null;
  const address = callerAddress(request);
  if (credential === 'malformed') {
    await failures.record(address);
    throw new ApiError('UNAUTHORIZED', 'the Authorization header or session cookie is not a valid credential');
  }
  let principal: Principal;
  try {
    principal = await tokens.authenticate(credential, failures.refusalFor(address));
  } catch (error) {
    if (error instanceof ApiError && error.code === 'UNAUTHORIZED') await failures.record(address);
    throw error;
  }
  if (principal.via === 'cookie' && !isSafeOperation(request) && !provesSameOrigin(request)) {
    throw new ApiError('INVALID_INPUT', 'cookie-authenticated requests must send X-API-CSRF matching the CSRF cookie', { reason: 'InvalidCSRFToken' });
  }
  return principal;
}

function provesSameOrigin(request: IncomingMessage): boolean {
  const expected = csrfCookie(request.headers.cookie);
  const sent = request.headers['x-api-csrf'];
  if (expected && typeof sent === 'string' && sent === expected) return true;
  return /^application\/(graphql-response\+)?json\b/i.test(String(request.headers['content-type'] ?? ''));
}
