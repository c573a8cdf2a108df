-- CreateEnum
CREATE TYPE "ProjectSecretKind" AS ENUM ('certificate', 'dockerCredential', 'basicAuth', 'sshAuth', 'serviceAccountToken');

-- CreateTable
CREATE TABLE "ProjectSecret" (
    "id" TEXT NOT NULL,
    "kind" "ProjectSecretKind" NOT NULL,
    "name" TEXT NOT NULL,
    "namespaceId" TEXT,
    "projectId" TEXT,
    "projectScopeId" TEXT,
    "description" TEXT NOT NULL DEFAULT '',
    "labels" JSONB NOT NULL DEFAULT '{}',
    "annotations" JSONB NOT NULL DEFAULT '{}',
    "publicFields" JSONB NOT NULL DEFAULT '{}',
    "sealedFields" JSONB NOT NULL DEFAULT '{}',
    "creatorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProjectSecret_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProjectSecret_kind_idx" ON "ProjectSecret"("kind");

-- CreateIndex
CREATE INDEX "ProjectSecret_projectId_idx" ON "ProjectSecret"("projectId");

-- CreateIndex
CREATE INDEX "ProjectSecret_name_idx" ON "ProjectSecret"("name");

-- CreateIndex
CREATE INDEX "ProjectSecret_description_idx" ON "ProjectSecret"("description");

-- CreateIndex
CREATE INDEX "ProjectSecret_createdAt_idx" ON "ProjectSecret"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectSecret_namespaceId_name_key" ON "ProjectSecret"("namespaceId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectSecret_projectScopeId_name_key" ON "ProjectSecret"("projectScopeId", "name");

-- AddForeignKey
ALTER TABLE "ProjectSecret" ADD CONSTRAINT "ProjectSecret_namespaceId_fkey" FOREIGN KEY ("namespaceId") REFERENCES "Namespace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectSecret" ADD CONSTRAINT "ProjectSecret_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectSecret" ADD CONSTRAINT "ProjectSecret_projectScopeId_fkey" FOREIGN KEY ("projectScopeId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
