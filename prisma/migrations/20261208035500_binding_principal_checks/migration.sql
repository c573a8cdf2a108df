-- A binding keeps userPrincipalId, derived from its userId, as a column for its index and
-- its list filter. These checks hold the two together, so that no write, whatever makes
-- it, can leave a binding naming one user by id and another by principal. Prisma schemas
-- do not model CHECK constraints, and its migration diff leaves them alone. No semicolon or quote in these comments: on PostgreSQL the schema engine splits a migration at every semicolon, comments included.
ALTER TABLE "ClusterRoleTemplateBinding" ADD CONSTRAINT "ClusterRoleTemplateBinding_userPrincipalId_check" CHECK ("userPrincipalId" = 'local://' || "userId");
ALTER TABLE "ProjectRoleTemplateBinding" ADD CONSTRAINT "ProjectRoleTemplateBinding_userPrincipalId_check" CHECK ("userPrincipalId" = 'local://' || "userId");
