-- CreateEnum
CREATE TYPE "RoleTemplateContext" AS ENUM ('cluster', 'project');

-- CreateTable
CREATE TABLE "RoleTemplate" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "context" "RoleTemplateContext" NOT NULL,
    "builtin" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoleTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClusterRoleTemplateBinding" (
    "id" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "roleTemplateId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClusterRoleTemplateBinding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectRoleTemplateBinding" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "roleTemplateId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectRoleTemplateBinding_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RoleTemplate_name_key" ON "RoleTemplate"("name");

-- CreateIndex
CREATE INDEX "RoleTemplate_context_idx" ON "RoleTemplate"("context");

-- CreateIndex
CREATE INDEX "RoleTemplate_description_idx" ON "RoleTemplate"("description");

-- CreateIndex
CREATE INDEX "RoleTemplate_builtin_idx" ON "RoleTemplate"("builtin");

-- CreateIndex
CREATE INDEX "RoleTemplate_createdAt_idx" ON "RoleTemplate"("createdAt");

-- CreateIndex
CREATE INDEX "ClusterRoleTemplateBinding_userId_roleTemplateId_idx" ON "ClusterRoleTemplateBinding"("userId", "roleTemplateId");

-- CreateIndex
CREATE INDEX "ClusterRoleTemplateBinding_roleTemplateId_idx" ON "ClusterRoleTemplateBinding"("roleTemplateId");

-- CreateIndex
CREATE INDEX "ClusterRoleTemplateBinding_createdAt_idx" ON "ClusterRoleTemplateBinding"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ClusterRoleTemplateBinding_clusterId_userId_roleTemplateId_key" ON "ClusterRoleTemplateBinding"("clusterId", "userId", "roleTemplateId");

-- CreateIndex
CREATE INDEX "ProjectRoleTemplateBinding_userId_roleTemplateId_idx" ON "ProjectRoleTemplateBinding"("userId", "roleTemplateId");

-- CreateIndex
CREATE INDEX "ProjectRoleTemplateBinding_roleTemplateId_idx" ON "ProjectRoleTemplateBinding"("roleTemplateId");

-- CreateIndex
CREATE INDEX "ProjectRoleTemplateBinding_createdAt_idx" ON "ProjectRoleTemplateBinding"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectRoleTemplateBinding_projectId_userId_roleTemplateId_key" ON "ProjectRoleTemplateBinding"("projectId", "userId", "roleTemplateId");

-- AddForeignKey
ALTER TABLE "ClusterRoleTemplateBinding" ADD CONSTRAINT "ClusterRoleTemplateBinding_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClusterRoleTemplateBinding" ADD CONSTRAINT "ClusterRoleTemplateBinding_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClusterRoleTemplateBinding" ADD CONSTRAINT "ClusterRoleTemplateBinding_roleTemplateId_fkey" FOREIGN KEY ("roleTemplateId") REFERENCES "RoleTemplate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectRoleTemplateBinding" ADD CONSTRAINT "ProjectRoleTemplateBinding_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectRoleTemplateBinding" ADD CONSTRAINT "ProjectRoleTemplateBinding_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectRoleTemplateBinding" ADD CONSTRAINT "ProjectRoleTemplateBinding_roleTemplateId_fkey" FOREIGN KEY ("roleTemplateId") REFERENCES "RoleTemplate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
