-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "via" TEXT;
