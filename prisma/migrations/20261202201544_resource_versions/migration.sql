-- AlterTable
ALTER TABLE "Change" ADD COLUMN     "name" TEXT,
ADD COLUMN     "transactionId" BIGINT;

-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN     "resourceVersion" BIGINT NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Change_transactionId_idx" ON "Change"("transactionId");
