-- AlterTable
ALTER TABLE "CloudCredential" ADD COLUMN     "annotations" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "labels" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "ClusterRoleTemplateBinding" ADD COLUMN     "annotations" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "labels" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "GlobalRoleBinding" ADD COLUMN     "annotations" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "labels" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "NodeDriver" ADD COLUMN     "annotations" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "labels" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "NodePool" ADD COLUMN     "annotations" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "labels" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "NodeTemplate" ADD COLUMN     "annotations" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "annotations" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "labels" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "ProjectRoleTemplateBinding" ADD COLUMN     "annotations" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "labels" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "RoleTemplate" ADD COLUMN     "annotations" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "labels" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Setting" ADD COLUMN     "annotations" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "labels" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Token" ADD COLUMN     "annotations" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "labels" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "annotations" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "labels" JSONB NOT NULL DEFAULT '{}';
