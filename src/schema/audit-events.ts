import { actsAsAdmin } from '../auth/principal.js';
import type { Prisma } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { DateTimeFilter, StringFilter, defineListOptions } from './list-options.js';

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
    time: t.expose('time', { type: 'DateTime' }),
    auditId: t.exposeString('auditId', { description: 'Shared by the entries of one request.' }),
    face: t.exposeString('face', { description: 'graphql, v3, v3-public, v1, meta-proxy or stream.' }),
    method: t.exposeString('method'),
    requestUri: t.exposeString('requestUri', { description: 'The path, without the query string.' }),
    userId: t.exposeID('userId', { nullable: true }),
    username: t.exposeString('username', { nullable: true }),
    tokenId: t.exposeID('tokenId', { nullable: true, description: 'The API key or session used.' }),
    userLoginName: t.exposeString('userLoginName', { nullable: true, description: 'The username a login named.' }),
    sourceIp: t.exposeString('sourceIp'),
    userAgent: t.exposeString('userAgent'),
    operation: t.exposeString('operation', { nullable: true }),
    field: t.exposeString('field', { nullable: true, description: 'The GraphQL field(s) that ran.' }),
    resourceType: t.exposeString('resourceType', { nullable: true }),
    resourceId: t.exposeString('resourceId', { nullable: true }),
    verb: t.exposeString('verb'),
    outcome: t.exposeString('outcome', { description: 'success or failure.' }),
    code: t.exposeString('code', { description: 'OK or the error code.' }),
    responseCode: t.exposeInt('responseCode'),
    durationMs: t.exposeInt('durationMs'),
    details: t.expose('details', { type: 'JSON', description: 'Redacted headers and bodies (levels 2 and 3), the proxy’s facts, a stream’s close reason.' }),
  }),
});

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
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, context) => context.services.auditEvents.get(id, query),
  }),
  auditEvents: t.connection(
    {
      type: AuditEventNode,
      authScopes: { admin: true },
      description: 'The audit log, admins only: filter by principal (userId), resource, verb, outcome and time; sort by time (DESC for newest first).',
      args: { filter: t.arg({ type: auditEventList.Filter }), sort: t.arg({ type: auditEventList.Sort }) },
      resolve: (_root, args, context, info) => auditEventList.page({ args, context, info }, context.services.auditEvents),
    },
    { fields: (t) => ({ totalCount: t.int({ resolve: (connection) => connection.totalCount() }) }) },
  ),
}));
