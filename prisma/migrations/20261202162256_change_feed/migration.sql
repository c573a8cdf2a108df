-- CreateTable
CREATE TABLE "Change" (
    "revision" BIGSERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "objectId" TEXT NOT NULL,
    "verb" TEXT NOT NULL,
    "clusterId" TEXT,
    "projectId" TEXT,
    "userId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Change_pkey" PRIMARY KEY ("revision")
);

-- CreateIndex
CREATE INDEX "Change_createdAt_idx" ON "Change"("createdAt");
