import { z } from 'zod';
import type { BufferedProxyResult } from '../proxy/index.js';
import { fieldRateLimit } from '../graphql/field-limits.js';
import { builder } from './builder.js';

/**
 * `metaProxy`: the meta proxy as one GraphQL mutation, for clients that cannot make
 * the raw request themselves. Same core, allow list, header rules and credentials as
 * `/meta/proxy/`; bodies travel as text (UTF-8 or base64) and the answer is buffered
 * up to a cap (`truncated` says when it was cut). Its name matches no resource type,
 * so it stays out of /v3.
 */
const BodyEncoding = builder.enumType('BodyEncoding', {
  description: 'How a body is carried in a string: as UTF-8 text, or base64 for binary data.',
  values: ['utf8', 'base64'] as const,
});

const HttpHeader = builder.objectRef<{ name: string; value: string }>('HttpHeader').implement({
  description: 'One response header line; repeated headers (X-Api-Set-Cookie-Header) come as several.',
  fields: (t) => ({ name: t.exposeString('name'), value: t.exposeString('value') }),
});

const MetaProxyResult = builder.objectRef<BufferedProxyResult>('MetaProxyResult').implement({
  fields: (t) => ({
    status: t.exposeInt('status'),
    headers: t.field({
      type: [HttpHeader],
      resolve: (result) =>
        Object.entries(result.headers).flatMap(([name, value]) => (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((line) => ({ name, value: String(line) }))),
    }),
    // A third party's answer and request bodies may carry its secrets: never in the audit log.
    body: t.exposeString('body', { extensions: { secret: true } }),
    bodyEncoding: t.field({ type: BodyEncoding, resolve: (result) => result.bodyEncoding }),
    truncated: t.exposeBoolean('truncated', { description: 'The upstream body was longer than the cap (1 MiB) and was cut.' }),
  }),
});

const MetaProxyInput = builder.inputType('MetaProxyInput', {
  fields: (t) => ({
    url: t.string({ required: true, description: '`https://host/path?q`, `http:/host:8080/x`, or `host/path` (https), as after /meta/proxy/.', validate: z.string().min(1).max(8192) }),
    method: t.string({ defaultValue: 'GET', validate: z.string().min(1).max(20) }),
    headers: t.field({ type: 'StringMap', description: 'Request headers, with the same rules as the REST route (X-API-Auth-Header, X-Api-Cookie-Header, …).' }),
    body: t.string({ extensions: { secret: true } }),
    bodyEncoding: t.field({ type: BodyEncoding, defaultValue: 'utf8' }),
    cattleAuth: t.string({ description: 'Same as an X-API-CattleAuth-Header (`bearer credID=… passwordField=…`); wins over one in headers.' }),
  }),
});

builder.mutationFields((t) => ({
  metaProxy: t.field({
    extensions: fieldRateLimit({ max: 120, window: '1m' }),
    type: MetaProxyResult,
    description: 'Sends one request through the meta proxy and returns the answer.',
    args: { input: t.arg({ type: MetaProxyInput, required: true }) },
    resolve: (_root, { input }, context) =>
      context.services.metaProxy.buffered(context.principal!, {
        url: input.url,
        method: input.method ?? 'GET',
        headers: input.headers ?? {},
        body: input.body ?? null,
        bodyEncoding: input.bodyEncoding ?? 'utf8',
        cattleAuth: input.cattleAuth ?? null,
      }),
  }),
}));
