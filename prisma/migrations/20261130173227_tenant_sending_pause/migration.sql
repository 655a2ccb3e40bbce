-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "sendingPausedAt" TIMESTAMP(3);
