import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { ApiError, toApiError } from '../errors.js';
import { description } from '../schema/validators.js';
import { sendJson } from '../http/respond.js';
import type { SessionService } from '../services/sessions.js';
import { ttlOf } from '../services/tokens.js';

const maximumBody = 64 * 1024;

/**
 * `/v3-public`: what answers without a credential — Rancher's local login,
 * `POST /v3-public/localProviders/local?action=login` with
 * `{username, password, ttl?, description?, responseType?}`. It answers 201 with the
 * token object whose `token` is `token-xxxxx:<secret>`, or, for
 * `responseType: "cookie"`, sets the `R_SESS` session cookie (HttpOnly) and the
 * script-readable `CSRF` cookie the API UI echoes.
 */
export function createPublicRoutes(sessions: SessionService, audit: LoginAudit = () => undefined) {
  return async function publicRoutes(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean> {
    if (!pathname.toLowerCase().startsWith('/v3-public')) return false;
    let attempt: Record<string, unknown> | undefined;
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const isLogin = pathname.toLowerCase().replace(/\/$/, '') === '/v3-public/localproviders/local' && url.searchParams.get('action') === 'login';
      if (!isLogin) throw new ApiError('NOT_FOUND', `no public route ${pathname}`);
      if (request.method !== 'POST') throw new ApiError('METHOD_NOT_ALLOWED', 'login is a POST');
      const body = await readLoginBody(request);
      attempt = { ...body };
      const token = await sessions.login(body);
      audit(request, attempt, token, undefined);
      const secure = (request.socket as { encrypted?: boolean }).encrypted === true || request.headers['x-forwarded-proto'] === 'https';
      const object = {
        id: token.id,
        type: 'token',
        baseType: 'token',
        name: token.name,
        description: token.description,
        userId: token.userId,
        authProvider: 'local',
        isDerived: false,
        enabled: true,
        expired: false,
        current: false,
        ttl: ttlOf(token),
        expiresAt: token.expiresAt?.toISOString() ?? '',
        created: token.createdAt.toISOString(),
      };
      if (body.responseType === 'cookie') {
        const flags = `Path=/; SameSite=Lax${secure ? '; Secure' : ''}`;
        response.setHeader('set-cookie', [`R_SESS=${token.token}; HttpOnly; ${flags}`, `CSRF=${randomBytes(16).toString('hex')}; ${flags}`]);
        sendJson(response, 201, object);
      } else {
        sendJson(response, 201, { ...object, token: token.token });
      }
    } catch (error) {
      const apiError = toApiError(error);
      if (!(apiError instanceof ApiError)) throw error;
      if (attempt) audit(request, attempt, undefined, String(apiError.code));
      const code = apiError.details.reason ?? { UNAUTHORIZED: 'Unauthorized', NOT_FOUND: 'NotFound', METHOD_NOT_ALLOWED: 'MethodNotAllow', BAD_REQUEST: 'InvalidBodyContent' }[apiError.code as string] ?? 'InvalidFormat';
      sendJson(response, apiError.status, { type: 'error', baseType: 'error', status: apiError.status, code, message: apiError.message, ...(apiError.details.fieldName ? { fieldName: apiError.details.fieldName } : {}) });
    }
    return true;
  };
}

/** Tells the audit log how a login went: the body (the `login` mutation's input), the session or the error code. */
export type LoginAudit = (request: IncomingMessage, input: Record<string, unknown>, token: object | undefined, errorCode: string | undefined) => void;

interface LoginBody {
  username: string;
  password: string;
  ttl?: number;
  description?: string;
  responseType?: string;
}

async function readLoginBody(request: IncomingMessage): Promise<LoginBody> {
  let text = '';
  for await (const chunk of request) {
    text += chunk;
    if (text.length > maximumBody) throw new ApiError('PAYLOAD_TOO_LARGE', 'the login body is too large');
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text || '{}');
  } catch {
    throw new ApiError('BAD_REQUEST', 'the request body is not valid JSON');
  }
  for (const field of ['username', 'password'] as const) {
    if (typeof body[field] !== 'string' || body[field] === '') throw new ApiError('INVALID_INPUT', `${field} is required`, { fieldName: field, reason: 'MissingRequired' });
  }
  if (body.ttl !== undefined && (typeof body.ttl !== 'number' || body.ttl < 0)) throw new ApiError('INVALID_INPUT', 'ttl must be milliseconds', { fieldName: 'ttl', reason: 'InvalidType' });
  // The same rules as the GraphQL login's input: anything else would reach the database as is.
  for (const field of ['description', 'responseType'] as const) {
    if (body[field] !== undefined && typeof body[field] !== 'string') throw new ApiError('INVALID_INPUT', `${field} must be a string`, { fieldName: field, reason: 'InvalidType' });
  }
  if (!description.safeParse(body.description ?? '').success) throw new ApiError('INVALID_INPUT', 'description is too long', { fieldName: 'description', reason: 'MaxLengthExceeded' });
  return body as unknown as LoginBody;
}
