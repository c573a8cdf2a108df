-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN     "additionalManifest" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "agentEnvVars" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "chartValues" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "defaultPodSecurityAdmissionConfigurationTemplateName" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "enableNetworkPolicy" BOOLEAN,
ADD COLUMN     "etcd" JSONB,
ADD COLUMN     "localClusterAuthEndpoint" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "machineGlobalConfig" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "machineSelectorConfig" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "registries" JSONB,
ADD COLUMN     "upgradeStrategy" JSONB NOT NULL DEFAULT '{}';
