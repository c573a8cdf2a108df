-- CreateTable
CREATE TABLE "NodeDriver" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "displayName" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "url" TEXT NOT NULL,
    "checksum" TEXT NOT NULL DEFAULT '',
    "uiUrl" TEXT NOT NULL DEFAULT '',
    "builtin" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT false,
    "whitelistDomains" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "creatorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NodeDriver_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "NodeDriver_name_key" ON "NodeDriver"("name");

-- CreateIndex
CREATE INDEX "NodeDriver_displayName_idx" ON "NodeDriver"("displayName");

-- CreateIndex
CREATE INDEX "NodeDriver_description_idx" ON "NodeDriver"("description");

-- CreateIndex
CREATE INDEX "NodeDriver_url_idx" ON "NodeDriver"("url");

-- CreateIndex
CREATE INDEX "NodeDriver_builtin_idx" ON "NodeDriver"("builtin");

-- CreateIndex
CREATE INDEX "NodeDriver_active_idx" ON "NodeDriver"("active");

-- CreateIndex
CREATE INDEX "NodeDriver_createdAt_idx" ON "NodeDriver"("createdAt");
