-- CreateEnum
CREATE TYPE "ClusterDriver" AS ENUM ('rke2', 'k3s', 'imported');

-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN     "cloudCredentialId" TEXT,
ADD COLUMN     "clusterAgentCustomization" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "driver" "ClusterDriver" NOT NULL DEFAULT 'imported',
ADD COLUMN     "fleetAgentCustomization" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "kubernetesVersion" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "machinePools" JSONB NOT NULL DEFAULT '[]';

-- CreateIndex
CREATE INDEX "Cluster_driver_idx" ON "Cluster"("driver");

-- CreateIndex
CREATE INDEX "Cluster_kubernetesVersion_idx" ON "Cluster"("kubernetesVersion");
