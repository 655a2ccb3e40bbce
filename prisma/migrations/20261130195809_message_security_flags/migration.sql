-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "securityFlags" TEXT[] DEFAULT ARRAY[]::TEXT[];
