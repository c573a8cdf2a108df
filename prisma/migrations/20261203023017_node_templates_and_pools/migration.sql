-- CreateTable
CREATE TABLE "NodeTemplate" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "driver" TEXT NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "sealedConfig" JSONB NOT NULL DEFAULT '{}',
    "cloudCredentialId" TEXT,
    "engineOptions" JSONB NOT NULL DEFAULT '{}',
    "useInternalIpAddress" BOOLEAN NOT NULL DEFAULT true,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "ownerId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NodeTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NodePool" (
    "id" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "hostnamePrefix" TEXT NOT NULL,
    "displayName" TEXT NOT NULL DEFAULT '',
    "nodeTemplateId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL DEFAULT 1,
    "controlPlane" BOOLEAN NOT NULL DEFAULT false,
    "etcd" BOOLEAN NOT NULL DEFAULT false,
    "worker" BOOLEAN NOT NULL DEFAULT false,
    "deleteNotReadyAfterSecs" INTEGER NOT NULL DEFAULT 0,
    "drainBeforeDelete" BOOLEAN NOT NULL DEFAULT false,
    "nodeDrainInput" JSONB NOT NULL DEFAULT '{}',
    "nodeLabels" JSONB NOT NULL DEFAULT '{}',
    "creatorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NodePool_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "NodeTemplate_name_idx" ON "NodeTemplate"("name");

-- CreateIndex
CREATE INDEX "NodeTemplate_description_idx" ON "NodeTemplate"("description");

-- CreateIndex
CREATE INDEX "NodeTemplate_driver_idx" ON "NodeTemplate"("driver");

-- CreateIndex
CREATE INDEX "NodeTemplate_cloudCredentialId_idx" ON "NodeTemplate"("cloudCredentialId");

-- CreateIndex
CREATE INDEX "NodeTemplate_ownerId_idx" ON "NodeTemplate"("ownerId");

-- CreateIndex
CREATE INDEX "NodeTemplate_createdAt_idx" ON "NodeTemplate"("createdAt");

-- CreateIndex
CREATE INDEX "NodePool_hostnamePrefix_idx" ON "NodePool"("hostnamePrefix");

-- CreateIndex
CREATE INDEX "NodePool_nodeTemplateId_idx" ON "NodePool"("nodeTemplateId");

-- CreateIndex
CREATE INDEX "NodePool_createdAt_idx" ON "NodePool"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "NodePool_clusterId_hostnamePrefix_key" ON "NodePool"("clusterId", "hostnamePrefix");

-- AddForeignKey
ALTER TABLE "NodeTemplate" ADD CONSTRAINT "NodeTemplate_driver_fkey" FOREIGN KEY ("driver") REFERENCES "NodeDriver"("name") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NodeTemplate" ADD CONSTRAINT "NodeTemplate_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NodePool" ADD CONSTRAINT "NodePool_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NodePool" ADD CONSTRAINT "NodePool_nodeTemplateId_fkey" FOREIGN KEY ("nodeTemplateId") REFERENCES "NodeTemplate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
