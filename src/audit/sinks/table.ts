import type { PrismaClient } from '../../db/database.js';
import type { Prisma } from '../../generated/prisma/client.js';
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
      await prisma.auditEvent.createMany({ data: batch.map(rowOf) });
    },
    close: async () => undefined,
  };
}

function rowOf(entry: AuditEntry): Prisma.AuditEventCreateManyInput {
  const { requestHeader, requestBody, proxy, reason } = entry;
  const details = Object.fromEntries(Object.entries({ requestHeader, requestBody, proxy, reason }).filter(([, value]) => value !== undefined));
  return {
    id: newId('ae', 12),
    time: new Date(entry.time),
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
