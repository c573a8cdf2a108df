import type { PrismaClient } from '../../db/database.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { newId } from '../../ids.js';
import type { AuditEntry } from '../entry.js';
import type { AuditSink } from '../queue.js';

/** The `AuditEvent` table, one INSERT per batch; admins read it through `auditEvents`. */
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
  const { requestHeader, requestBody, responseHeader, responseBody, proxy, reason } = entry;
  const details = Object.fromEntries(Object.entries({ requestHeader, requestBody, responseHeader, responseBody, proxy, reason }).filter(([, value]) => value !== undefined));
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
