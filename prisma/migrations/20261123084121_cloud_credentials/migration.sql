-- CreateTable
CREATE TABLE "CloudCredential" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "provider" TEXT NOT NULL,
    "publicFields" JSONB NOT NULL DEFAULT '{}',
    "sealedFields" JSONB NOT NULL DEFAULT '{}',
    "allowedHosts" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "ownerId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CloudCredential_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CloudCredential_name_idx" ON "CloudCredential"("name");

-- CreateIndex
CREATE INDEX "CloudCredential_description_idx" ON "CloudCredential"("description");

-- CreateIndex
CREATE INDEX "CloudCredential_provider_idx" ON "CloudCredential"("provider");

-- CreateIndex
CREATE INDEX "CloudCredential_ownerId_idx" ON "CloudCredential"("ownerId");

-- CreateIndex
CREATE INDEX "CloudCredential_createdAt_idx" ON "CloudCredential"("createdAt");

-- AddForeignKey
ALTER TABLE "CloudCredential" ADD CONSTRAINT "CloudCredential_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
