import { z } from 'zod';
import type { BufferedProxyResult } from '../proxy/index.js';
import { fieldRateLimit } from '../graphql/field-limits.js';
import { builder } from './builder.js';

/** What the fields its input and output share mean, written once for both. */
const docs = {
  bodyEncoding: 'How `body` is encoded: UTF8 for text, BASE64 for binary.',
} as const;

/**
 * `metaProxy`: the meta proxy as one GraphQL mutation, for clients that cannot make
 * the raw request themselves. Same core, allow list, header rules and credentials as
 * `/meta/proxy/`; bodies travel as text (UTF-8 or base64) and the answer is buffered
 * up to a cap (`truncated` says when it was cut). Its name matches no resource type,
 * so it stays out of /v3.
 */
const BodyEncoding = builder.enumType('BodyEncoding', {
  description: 'How a body is carried in a string: as UTF-8 text, or base64 for binary data.',
  values: {
    utf8: { description: 'The body is UTF-8 text, as is.' },
    base64: { description: 'The body is binary, base64-encoded.' },
  } as const,
});

const HttpHeader = builder.objectRef<{ name: string; value: string }>('HttpHeader').implement({
  description: 'One response header line; repeated headers (X-Api-Set-Cookie-Header) come as several.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The header’s name, in lower case.' }),
    value: t.exposeString('value', { description: 'One value of it.' }),
  }),
});

const MetaProxyResult = builder.objectRef<BufferedProxyResult>('MetaProxyResult').implement({
  description: 'What the upstream answered through the meta proxy.',
  fields: (t) => ({
    status: t.exposeInt('status', { description: 'The upstream HTTP status code (a 502 or 504 the proxy made itself when the upstream failed or timed out).' }),
    headers: t.field({
      type: [HttpHeader],
      description: 'The upstream answer’s headers, one line each (Set-Cookie comes as X-Api-Set-Cookie-Header).',
      resolve: (result) =>
        Object.entries(result.headers).flatMap(([name, value]) =>
          (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((line) => ({ name, value: String(line) })),
        ),
    }),
    // A third party's answer and request bodies may carry its secrets: never in the audit log.
    body: t.exposeString('body', { description: 'The upstream answer’s body, as `bodyEncoding` says, at most 1 MiB.', extensions: { secret: true } }),
    bodyEncoding: t.field({
      description: docs.bodyEncoding,
      type: BodyEncoding,
      resolve: (result) => result.bodyEncoding,
    }),
    truncated: t.exposeBoolean('truncated', { description: 'The upstream body was longer than the cap (1 MiB) and was cut.' }),
  }),
});

const MetaProxyInput = builder.inputType('MetaProxyInput', {
  description: 'One HTTP request for the meta proxy to send, as `/meta/proxy/` takes it.',
  fields: (t) => ({
    url: t.string({
      required: true,
      description: '`https://host/path?q`, `http:/host:8080/x`, or `host/path` (https), as after /meta/proxy/.',
      validate: z.string().min(1).max(8192),
    }),
    method: t.string({ description: 'The HTTP method (GET when not given): 1–20 characters.', defaultValue: 'GET', validate: z.string().min(1).max(20) }),
    headers: t.field({ type: 'StringMap', description: 'Request headers, with the same rules as the REST route (X-API-Auth-Header, X-Api-Cookie-Header, …).' }),
    body: t.string({ description: 'The request body, as `bodyEncoding` says; none for no body.', extensions: { secret: true } }),
    bodyEncoding: t.field({ description: docs.bodyEncoding, type: BodyEncoding, defaultValue: 'utf8' }),
    cattleAuth: t.string({ description: 'Same as an X-API-CattleAuth-Header (`bearer credID=… passwordField=…`); wins over one in headers.' }),
  }),
});

builder.mutationFields((t) => ({
  metaProxy: t.field({
    extensions: fieldRateLimit({ max: 120, window: '1m' }),
    type: MetaProxyResult,
    description: 'Sends one request through the meta proxy and returns the answer.',
    args: { input: t.arg({ type: MetaProxyInput, required: true, description: 'The request to send.' }) },
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
