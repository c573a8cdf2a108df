-- CreateEnum
CREATE TYPE "ServiceKind" AS ENUM ('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName');

-- CreateTable
CREATE TABLE "Service" (
    "id" TEXT NOT NULL,
    "namespaceId" TEXT NOT NULL,
    "projectId" TEXT,
    "name" TEXT NOT NULL,
    "kind" "ServiceKind" NOT NULL DEFAULT 'ClusterIP',
    "description" TEXT NOT NULL DEFAULT '',
    "ports" JSONB NOT NULL DEFAULT '[]',
    "selector" JSONB NOT NULL DEFAULT '{}',
    "targetWorkloadIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "hostname" TEXT,
    "clusterIp" TEXT,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "annotations" JSONB NOT NULL DEFAULT '{}',
    "creatorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Service_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Ingress" (
    "id" TEXT NOT NULL,
    "namespaceId" TEXT NOT NULL,
    "projectId" TEXT,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "rules" JSONB NOT NULL DEFAULT '[]',
    "tls" JSONB NOT NULL DEFAULT '[]',
    "defaultBackend" JSONB,
    "ingressClassName" TEXT,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "annotations" JSONB NOT NULL DEFAULT '{}',
    "creatorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Ingress_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Service_projectId_idx" ON "Service"("projectId");

-- CreateIndex
CREATE INDEX "Service_name_idx" ON "Service"("name");

-- CreateIndex
CREATE INDEX "Service_kind_idx" ON "Service"("kind");

-- CreateIndex
CREATE INDEX "Service_createdAt_idx" ON "Service"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Service_namespaceId_name_key" ON "Service"("namespaceId", "name");

-- CreateIndex
CREATE INDEX "Ingress_projectId_idx" ON "Ingress"("projectId");

-- CreateIndex
CREATE INDEX "Ingress_name_idx" ON "Ingress"("name");

-- CreateIndex
CREATE INDEX "Ingress_createdAt_idx" ON "Ingress"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Ingress_namespaceId_name_key" ON "Ingress"("namespaceId", "name");

-- AddForeignKey
ALTER TABLE "Service" ADD CONSTRAINT "Service_namespaceId_fkey" FOREIGN KEY ("namespaceId") REFERENCES "Namespace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Service" ADD CONSTRAINT "Service_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ingress" ADD CONSTRAINT "Ingress_namespaceId_fkey" FOREIGN KEY ("namespaceId") REFERENCES "Namespace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ingress" ADD CONSTRAINT "Ingress_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE SET NULL ON UPDATE CASCADE;
