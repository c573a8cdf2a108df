import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '../../src/logger.js';
import { normanErrorOf, methodNotAllowed, NormanHttpError } from '../errors.js';
import { publicPrefix } from './browse.js';
import type { RunOperation } from '../execute/run.js';
import { actionInput, readJsonBody } from '../parse/body.js';
import { effectiveOperation } from '../parse/operation.js';
import { deriveInputSchema } from '../schemas/derive.js';
import type { ApiModel } from '../schemas/types.js';
import { sendNorman } from '../write/respond.js';
import { normanResource } from '../write/resource.js';
import { requestUrls } from '../write/urls.js';

export interface PublicRoutesDependencies {
  model: ApiModel;
  schema: GraphQLSchema;
  run: RunOperation;
  logger: Logger;
  /** Everything under /v3-public that is not the login action: the read-only browsable part. */
  browse: (request: IncomingMessage, response: ServerResponse) => void;
}

/**
 * `/v3-public`: what answers without a credential — Rancher's local login,
 * `POST /v3-public/localProviders/local?action=login` with
 * `{username, password, ttl?, description?, responseType?}`.
 *
 * It runs the GraphQL `login` mutation in process, like every /v3 operation: ONE
 * login (the session service behind the mutation) and ONE limit (the field's
 * 10 a minute per address and username) serve both faces, so no face can ever be
 * a way around the other's defences. The body is checked against `LoginInput`'s
 * Norman schema first, so mistakes answer with Norman's codes and field names.
 *
 * It answers 201 with the token object whose `token` is `token-xxxxx:<secret>`, or,
 * for `responseType: "cookie"`, sets the `R_SESS` session cookie (HttpOnly) and the
 * script-readable `CSRF` cookie the API UI echoes, and leaves the secret out.
 */
export function createPublicHandler(dependencies: PublicRoutesDependencies) {
  const { model, run, logger } = dependencies;
  const loginInput = deriveInputSchema(dependencies.schema, 'LoginInput');
  const tokenBinding = model.bindings.get('token')!;
  const loginDocument = `mutation($input: LoginInput!) { r: login(input: $input) { ${tokenBinding.selection} } }`;

  return async function handlePublic(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const urls = requestUrls(request);
    try {
      const { method, action } = effectiveOperation(request);
      const path = urls.request.pathname
        .toLowerCase()
        .replace(/\/{2,}/g, '/')
        .replace(/\/$/, '');
      if (path !== `${publicPrefix}/localproviders/local` || (action !== 'login' && urls.request.searchParams.get('action') !== 'login')) {
        return dependencies.browse(request, response);
      }
      if (method !== 'POST' || action !== 'login') throw methodNotAllowed(method, 'login');
      const body = await readJsonBody(request);
      const responseType = body.responseType;
      if (responseType !== undefined && typeof responseType !== 'string')
        throw new NormanHttpError(422, 'InvalidFormat', 'responseType: expected a string', 'responseType');
      const input = actionInput(loginInput.schema, body, loginInput.schemas);
      const token = (await run(request, loginDocument, { input })) as Record<string, unknown>;
      const object: Record<string, unknown> = { ...normanResource(model, tokenBinding, token, { base: urls.base, actionLinks: false }), authProvider: 'local' };
      if (responseType === 'cookie') {
        const flags = `Path=/; SameSite=Lax${urls.base.startsWith('https:') ? '; Secure' : ''}`;
        response.setHeader('set-cookie', [`R_SESS=${String(token.token)}; HttpOnly; ${flags}`, `CSRF=${randomBytes(16).toString('hex')}; ${flags}`]);
        return sendNorman(request, response, urls, 201, { ...object, token: undefined });
      }
      sendNorman(request, response, urls, 201, object);
    } catch (error) {
      const answer = normanErrorOf(error, logger);
      if (!response.headersSent) sendNorman(request, response, urls, answer.status, answer.toJSON(), answer.headers);
    }
  };
}
