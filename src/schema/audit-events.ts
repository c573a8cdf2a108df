import { actsAsAdmin } from '../auth/principal.js';
import type { Prisma } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { DateTimeFilter, StringFilter, defineListOptions } from './list-options.js';
import { linkedResource, linkTargets } from './resources/linked-resource.js';
import { fieldDocs } from './field-docs.js';
import { defineResourceConnection } from './resources/resource-connection.js';

/**
 * The API audit log as stored (AUDIT_LEVEL ≥ 1), for admins only: `auditEvents`
 * here and, derived from it, the read-only /v3/auditevents. No mutations: entries
 * are written by the server and removed by the `audit-log-retention-days` setting.
 */
const AuditEventNode = builder.prismaNode('AuditEvent', {
  id: { field: 'id' },
  // Every field, `node(id:)` included, is for admins: the log names who did what.
  authScopes: { admin: true },
  findUnique: (id, context) => ({ id, ...(actsAsAdmin(context.principal) ? {} : { AND: [{ id: { in: [] } }] }) }) as Prisma.AuditEventWhereUniqueInput,
  description: 'One API audit entry: who did what to which resource, through which face, and how it ended. Secrets are redacted.',
  fields: (t) => ({
    time: t.expose('time', { description: 'When the request arrived, RFC 3339.', type: 'DateTime' }),
    auditId: t.exposeString('auditId', { description: 'Shared by the entries of one request.' }),
    face: t.exposeString('face', { description: 'graphql, v3, v3-public, v1, meta-proxy or stream.' }),
    method: t.exposeString('method', { description: 'The HTTP method (`POST`, `GET`, …), or the stream’s for a subscription.' }),
    requestUri: t.exposeString('requestUri', { description: 'The path, without the query string.' }),
    userId: t.exposeID('userId', { description: fieldDocs.userId, nullable: true }),
    user: linkedResource(
      t,
      'userId',
      linkTargets.user,
      'The user who made the request (`userId`), as they are now; null for an anonymous request or a user since deleted.',
    ),
    username: t.exposeString('username', {
      description: 'The username of who made the request, as it was then; null for an anonymous request.',
      nullable: true,
    }),
    tokenId: t.exposeID('tokenId', { nullable: true, description: 'The API key or session used.' }),
    token: linkedResource(t, 'tokenId', linkTargets.token, 'The API key or session used (`tokenId`); null once it has expired or been deleted.'),
    userLoginName: t.exposeString('userLoginName', { nullable: true, description: 'The username a login named.' }),
    sourceIp: t.exposeString('sourceIp', { description: 'The client’s address (the first X-Forwarded-For hop when behind a trusted proxy).' }),
    userAgent: t.exposeString('userAgent', { description: 'The client’s User-Agent header, as sent.' }),
    operation: t.exposeString('operation', { description: 'The GraphQL operation’s name, when it had one.', nullable: true }),
    field: t.exposeString('field', { nullable: true, description: 'The GraphQL field(s) that ran.' }),
    resourceType: t.exposeString('resourceType', { description: 'The type of the resource acted on (`cluster`), when the request named one.', nullable: true }),
    resourceId: t.exposeString('resourceId', { description: 'The id of the resource acted on, when the request named one.', nullable: true }),
    verb: t.exposeString('verb', {
      description: 'What was done to the resource, as the audit log names it (the /v3 verb or action, such as `create` or `generateKubeconfig`).',
    }),
    outcome: t.exposeString('outcome', { description: 'success or failure.' }),
    code: t.exposeString('code', { description: 'OK or the error code.' }),
    responseCode: t.exposeInt('responseCode', { description: 'The HTTP status of the answer.' }),
    durationMs: t.exposeInt('durationMs', { description: 'How long the request took, in milliseconds.' }),
    details: t.expose('details', {
      type: 'JSON',
      description:
        'The request’s redacted headers and body (level 2 and up; response headers and bodies, level 3, are in the JSON-lines log only), the proxy’s facts, a stream’s close reason.',
    }),
  }),
});

/** The log's pages are `AuditEventConnection`s like every other list's (`nodes`, `totalCount`). */
const AuditEventConnection = defineResourceConnection('AuditEvent', AuditEventNode);

const auditEventList = defineListOptions<Prisma.AuditEventWhereInput, Prisma.AuditEventOrderByWithRelationInput>('AuditEvent', {
  time: { filter: DateTimeFilter },
  auditId: { filter: StringFilter },
  userId: { filter: StringFilter, nullable: true },
  resourceType: { filter: StringFilter, nullable: true },
  resourceId: { filter: StringFilter, nullable: true },
  verb: { filter: StringFilter },
  outcome: { filter: StringFilter },
});

builder.queryFields((t) => ({
  auditEvent: t.prismaField({
    type: 'AuditEvent',
    nullable: true,
    authScopes: { admin: true },
    description: 'One audit entry by its id, admins only; null when there is none.',
    args: { id: t.arg.id({ required: true, description: 'The entry’s id.' }) },
    resolve: (query, _root, { id }, context) => context.services.auditEvents.find(id, query),
  }),
  auditEvents: t.connection(
    {
      type: AuditEventNode,
      authScopes: { admin: true },
      description: 'The audit log, admins only: filter by principal (userId), resource, verb, outcome and time; sort by time (DESC for newest first).',
      args: {
        filter: t.arg({ type: auditEventList.Filter, description: 'Only the entries that meet every condition given.' }),
        sort: t.arg({ type: auditEventList.Sort, description: 'The order of the log: by id (arrival) when not given.' }),
      },
      resolve: (_root, args, context, info) => auditEventList.page({ args, context, info }, context.services.auditEvents),
    },
    AuditEventConnection,
  ),
}));
