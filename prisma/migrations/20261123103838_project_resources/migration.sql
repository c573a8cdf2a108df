-- CreateEnum
CREATE TYPE "WorkloadKind" AS ENUM ('Deployment', 'StatefulSet', 'DaemonSet', 'CronJob');

-- CreateTable
CREATE TABLE "Namespace" (
    "id" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "projectId" TEXT,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "labels" JSONB NOT NULL DEFAULT '{}',
    "annotations" JSONB NOT NULL DEFAULT '{}',
    "creatorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Namespace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Workload" (
    "id" TEXT NOT NULL,
    "namespaceId" TEXT NOT NULL,
    "projectId" TEXT,
    "kind" "WorkloadKind" NOT NULL,
    "name" TEXT NOT NULL,
    "containers" JSONB NOT NULL DEFAULT '[]',
    "replicas" INTEGER,
    "schedule" TEXT,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "annotations" JSONB NOT NULL DEFAULT '{}',
    "selector" JSONB NOT NULL DEFAULT '{}',
    "generation" INTEGER NOT NULL DEFAULT 1,
    "creatorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Workload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NamespacedSecret" (
    "id" TEXT NOT NULL,
    "namespaceId" TEXT NOT NULL,
    "projectId" TEXT,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'Opaque',
    "description" TEXT NOT NULL DEFAULT '',
    "labels" JSONB NOT NULL DEFAULT '{}',
    "annotations" JSONB NOT NULL DEFAULT '{}',
    "sealedData" JSONB NOT NULL DEFAULT '{}',
    "creatorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NamespacedSecret_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Namespace_projectId_idx" ON "Namespace"("projectId");

-- CreateIndex
CREATE INDEX "Namespace_name_idx" ON "Namespace"("name");

-- CreateIndex
CREATE INDEX "Namespace_description_idx" ON "Namespace"("description");

-- CreateIndex
CREATE INDEX "Namespace_createdAt_idx" ON "Namespace"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Namespace_clusterId_name_key" ON "Namespace"("clusterId", "name");

-- CreateIndex
CREATE INDEX "Workload_projectId_idx" ON "Workload"("projectId");

-- CreateIndex
CREATE INDEX "Workload_kind_idx" ON "Workload"("kind");

-- CreateIndex
CREATE INDEX "Workload_name_idx" ON "Workload"("name");

-- CreateIndex
CREATE INDEX "Workload_paused_idx" ON "Workload"("paused");

-- CreateIndex
CREATE INDEX "Workload_createdAt_idx" ON "Workload"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Workload_namespaceId_kind_name_key" ON "Workload"("namespaceId", "kind", "name");

-- CreateIndex
CREATE INDEX "NamespacedSecret_projectId_idx" ON "NamespacedSecret"("projectId");

-- CreateIndex
CREATE INDEX "NamespacedSecret_name_idx" ON "NamespacedSecret"("name");

-- CreateIndex
CREATE INDEX "NamespacedSecret_kind_idx" ON "NamespacedSecret"("kind");

-- CreateIndex
CREATE INDEX "NamespacedSecret_description_idx" ON "NamespacedSecret"("description");

-- CreateIndex
CREATE INDEX "NamespacedSecret_createdAt_idx" ON "NamespacedSecret"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "NamespacedSecret_namespaceId_name_key" ON "NamespacedSecret"("namespaceId", "name");

-- AddForeignKey
ALTER TABLE "Namespace" ADD CONSTRAINT "Namespace_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Namespace" ADD CONSTRAINT "Namespace_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Workload" ADD CONSTRAINT "Workload_namespaceId_fkey" FOREIGN KEY ("namespaceId") REFERENCES "Namespace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Workload" ADD CONSTRAINT "Workload_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NamespacedSecret" ADD CONSTRAINT "NamespacedSecret_namespaceId_fkey" FOREIGN KEY ("namespaceId") REFERENCES "Namespace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NamespacedSecret" ADD CONSTRAINT "NamespacedSecret_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE SET NULL ON UPDATE CASCADE;
