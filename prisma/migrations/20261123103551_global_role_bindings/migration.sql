-- CreateTable
CREATE TABLE "GlobalRoleBinding" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "globalRoleId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GlobalRoleBinding_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "GlobalRoleBinding_globalRoleId_idx" ON "GlobalRoleBinding"("globalRoleId");

-- CreateIndex
CREATE INDEX "GlobalRoleBinding_createdAt_idx" ON "GlobalRoleBinding"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "GlobalRoleBinding_userId_globalRoleId_key" ON "GlobalRoleBinding"("userId", "globalRoleId");

-- AddForeignKey
ALTER TABLE "GlobalRoleBinding" ADD CONSTRAINT "GlobalRoleBinding_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Carry the roles over (hand-written): every user holds `user`, admins also `admin`.
INSERT INTO "GlobalRoleBinding" ("id", "userId", "globalRoleId")
SELECT 'grb-' || substr(md5("id" || ':user'), 1, 10), "id", 'user' FROM "User";
INSERT INTO "GlobalRoleBinding" ("id", "userId", "globalRoleId")
SELECT 'grb-' || substr(md5("id" || ':admin'), 1, 10), "id", 'admin' FROM "User" WHERE "globalRole" = 'admin';

-- AlterTable
ALTER TABLE "User" DROP COLUMN "globalRole";
