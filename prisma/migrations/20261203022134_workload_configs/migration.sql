-- AlterEnum
ALTER TYPE "WorkloadKind" ADD VALUE 'Job';

-- AlterTable
ALTER TABLE "Workload" ADD COLUMN     "config" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "workloadAnnotations" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "workloadLabels" JSONB NOT NULL DEFAULT '{}';
