import type { PrismaClient } from '../../db/database.js';
import { Prisma } from '../../generated/prisma/client.js';
import { newId } from '../../ids.js';
import type { AuditEntry } from '../entry.js';
import type { AuditSink } from '../queue.js';

/**
 * The `AuditEvent` table, one INSERT per batch; admins read it through `auditEvents`.
 *
 * Rows carry what an auditor filters and reads — who, what, outcome — with the request's
 * headers and body (level 2), the proxy's facts and a stream's close reason; the
 * response's headers and body (level 3) go to the JSON-lines log only, as in Rancher.
 * Storing every answer again as jsonb in the embedded database cost level 3 more than
 * its whole budget (BENCHMARKS.md): a list answer is kilobytes, parsed and written by
 * the same thread that serves the requests.
 */
export function tableSink(prisma: PrismaClient): AuditSink {
  return {
    name: 'table',
    async write(batch) {
      await prisma.$executeRaw(insertRows(batch.map(rowOf)));
    },
    close: async () => undefined,
  };
}

type Row = Required<Prisma.AuditEventCreateManyInput>;

/** Every column of `AuditEvent` with its SQL type: a column the model gains and this lacks fails the type check. */
const columnTypes = {
  id: 'text',
  time: 'timestamp(3)',
  auditId: 'text',
  face: 'text',
  method: 'text',
  requestUri: 'text',
  userId: 'text',
  username: 'text',
  tokenId: 'text',
  userLoginName: 'text',
  sourceIp: 'text',
  userAgent: 'text',
  operation: 'text',
  field: 'text',
  resourceType: 'text',
  resourceId: 'text',
  verb: 'text',
  outcome: 'text',
  code: 'text',
  responseCode: 'integer',
  durationMs: 'integer',
  details: 'jsonb',
} as const satisfies Record<keyof Row, string>;

const columns = Object.keys(columnTypes)
  .map((name) => `"${name}"`)
  .join(', ');
const recordType = Object.entries(columnTypes)
  .map(([name, type]) => `"${name}" ${type}`)
  .join(', ');

/**
 * One INSERT for the batch whose rows travel as a single JSON parameter, unpacked by
 * PostgreSQL (`jsonb_to_recordset`). Prisma's `createMany` binds every value of every
 * row as its own parameter (22 per row): on the embedded database that cost 0.62 ms of
 * the serving thread per row, against 0.09 ms this way, and was most of what level 1
 * cost a request (BENCHMARKS.md, the audit log).
 */
function insertRows(rows: Row[]): Prisma.Sql {
  return Prisma.sql`INSERT INTO "AuditEvent" (${Prisma.raw(columns)}) SELECT ${Prisma.raw(columns)} FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS row(${Prisma.raw(recordType)})`;
}

function rowOf(entry: AuditEntry): Row {
  const details: Record<string, unknown> = {};
  if (entry.requestHeader !== undefined) details.requestHeader = entry.requestHeader;
  if (entry.requestBody !== undefined) details.requestBody = entry.requestBody;
  if (entry.proxy !== undefined) details.proxy = entry.proxy;
  if (entry.reason !== undefined) details.reason = entry.reason;
  return {
    id: newId('ae', 12),
    // Already ISO 8601, which the JSON parameter carries as it is to timestamp(3).
    time: entry.time,
    auditId: entry.auditID,
    face: entry.face,
    method: entry.method,
    requestUri: entry.requestURI,
    userId: entry.user?.id ?? null,
    username: entry.user?.name ?? null,
    tokenId: entry.user?.tokenId ?? null,
    userLoginName: entry.userLoginName ?? null,
    sourceIp: entry.sourceIPs[0] ?? 'unknown',
    userAgent: entry.userAgent,
    operation: entry.operation ?? null,
    field: entry.field ?? null,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId,
    verb: entry.verb,
    outcome: entry.outcome,
    code: entry.code,
    responseCode: entry.responseCode,
    durationMs: entry.durationMs,
    details: details as Prisma.InputJsonValue,
  };
}
