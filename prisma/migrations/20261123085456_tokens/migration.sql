-- AlterTable
ALTER TABLE "User" ADD COLUMN     "globalRole" TEXT NOT NULL DEFAULT 'user';

-- CreateTable
CREATE TABLE "Token" (
    "id" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "expiresAt" TIMESTAMP(3),
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "isDerived" BOOLEAN NOT NULL DEFAULT true,
    "clusterId" TEXT,
    "projectId" TEXT,
    "lastUsedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Token_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Token_userId_idx" ON "Token"("userId");

-- CreateIndex
CREATE INDEX "Token_name_idx" ON "Token"("name");

-- CreateIndex
CREATE INDEX "Token_description_idx" ON "Token"("description");

-- CreateIndex
CREATE INDEX "Token_enabled_idx" ON "Token"("enabled");

-- CreateIndex
CREATE INDEX "Token_isDerived_idx" ON "Token"("isDerived");

-- CreateIndex
CREATE INDEX "Token_clusterId_idx" ON "Token"("clusterId");

-- CreateIndex
CREATE INDEX "Token_projectId_idx" ON "Token"("projectId");

-- CreateIndex
CREATE INDEX "Token_expiresAt_idx" ON "Token"("expiresAt");

-- CreateIndex
CREATE INDEX "Token_createdAt_idx" ON "Token"("createdAt");

-- AddForeignKey
ALTER TABLE "Token" ADD CONSTRAINT "Token_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
