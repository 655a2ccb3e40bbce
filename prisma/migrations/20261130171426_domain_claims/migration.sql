-- DropIndex
DROP INDEX "Domain_name_key";

-- AlterTable
ALTER TABLE "Domain" ADD COLUMN     "lastCheckedAt" TIMESTAMP(3),
ADD COLUMN     "verificationToken" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "verifiedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Domain_name_idx" ON "Domain"("name");

-- CreateIndex
CREATE INDEX "Domain_status_lastCheckedAt_idx" ON "Domain"("status", "lastCheckedAt");

-- Written by hand (Prisma cannot declare these):
-- every existing claim gets its own verification token,
UPDATE "Domain" SET "verificationToken" = md5(random()::text || id) || md5(id || random()::text) WHERE "verificationToken" = '';

-- and at most one claim per name is verified (inbound mail is routed by address alone).
CREATE UNIQUE INDEX "Domain_verified_name_key" ON "Domain"("name") WHERE status = 'verified';
