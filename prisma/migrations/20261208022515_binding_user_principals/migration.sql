-- Rancher's userPrincipalId on role template bindings: the bound user as the local auth
-- provider names them. Bindings made before this migration get theirs from their user,
-- added as NULL, filled in, then made NOT NULL (a NOT NULL column cannot be added to rows
-- that have none). No semicolon or quote in these comments: on PostgreSQL the schema engine splits a migration at every semicolon, comments included.

-- AlterTable
ALTER TABLE "ClusterRoleTemplateBinding" ADD COLUMN     "userPrincipalId" TEXT;
UPDATE "ClusterRoleTemplateBinding" SET "userPrincipalId" = 'local://' || "userId";
ALTER TABLE "ClusterRoleTemplateBinding" ALTER COLUMN "userPrincipalId" SET NOT NULL;

-- AlterTable
ALTER TABLE "ProjectRoleTemplateBinding" ADD COLUMN     "userPrincipalId" TEXT;
UPDATE "ProjectRoleTemplateBinding" SET "userPrincipalId" = 'local://' || "userId";
ALTER TABLE "ProjectRoleTemplateBinding" ALTER COLUMN "userPrincipalId" SET NOT NULL;

-- CreateIndex
CREATE INDEX "ClusterRoleTemplateBinding_userPrincipalId_idx" ON "ClusterRoleTemplateBinding"("userPrincipalId");

-- CreateIndex
CREATE INDEX "ProjectRoleTemplateBinding_userPrincipalId_idx" ON "ProjectRoleTemplateBinding"("userPrincipalId");
