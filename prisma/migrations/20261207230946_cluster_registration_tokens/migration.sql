-- CreateTable
CREATE TABLE "ClusterRegistrationToken" (
    "id" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "annotations" JSONB NOT NULL DEFAULT '{}',
    "creatorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ClusterRegistrationToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ClusterRegistrationToken_token_key" ON "ClusterRegistrationToken"("token");

-- CreateIndex
CREATE INDEX "ClusterRegistrationToken_name_idx" ON "ClusterRegistrationToken"("name");

-- CreateIndex
CREATE INDEX "ClusterRegistrationToken_createdAt_idx" ON "ClusterRegistrationToken"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ClusterRegistrationToken_clusterId_name_key" ON "ClusterRegistrationToken"("clusterId", "name");

-- AddForeignKey
ALTER TABLE "ClusterRegistrationToken" ADD CONSTRAINT "ClusterRegistrationToken_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every cluster has its default registration token, as Rancher makes one for each: the
-- clusters made before this migration get theirs here, 64 hex digits of two random UUIDs
-- where new tokens are 54 of Rancher characters (an agent takes either). No semicolon or
-- quote in these comments: on PostgreSQL the schema engine splits a migration at every semicolon, comments included.
INSERT INTO "ClusterRegistrationToken" ("id", "clusterId", "name", "token", "updatedAt")
SELECT "id" || ':default-token', "id", 'default-token', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), CURRENT_TIMESTAMP
FROM "Cluster";
