-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "time" TIMESTAMP(3) NOT NULL,
    "auditId" TEXT NOT NULL,
    "face" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "requestUri" TEXT NOT NULL,
    "userId" TEXT,
    "username" TEXT,
    "tokenId" TEXT,
    "userLoginName" TEXT,
    "sourceIp" TEXT NOT NULL,
    "userAgent" TEXT NOT NULL,
    "operation" TEXT,
    "field" TEXT,
    "resourceType" TEXT,
    "resourceId" TEXT,
    "verb" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "responseCode" INTEGER NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditEvent_time_idx" ON "AuditEvent"("time");

-- CreateIndex
CREATE INDEX "AuditEvent_auditId_idx" ON "AuditEvent"("auditId");

-- CreateIndex
CREATE INDEX "AuditEvent_userId_time_idx" ON "AuditEvent"("userId", "time");

-- CreateIndex
CREATE INDEX "AuditEvent_resourceType_resourceId_idx" ON "AuditEvent"("resourceType", "resourceId");

-- CreateIndex
CREATE INDEX "AuditEvent_resourceId_idx" ON "AuditEvent"("resourceId");

-- CreateIndex
CREATE INDEX "AuditEvent_verb_idx" ON "AuditEvent"("verb");

-- CreateIndex
CREATE INDEX "AuditEvent_outcome_idx" ON "AuditEvent"("outcome");
