-- CreateEnum
CREATE TYPE "SendPolicy" AS ENUM ('open', 'approval', 'approval_new_recipients');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "MessageStatus" ADD VALUE 'pending_approval';
ALTER TYPE "MessageStatus" ADD VALUE 'rejected';

-- AlterTable
ALTER TABLE "Mailbox" ADD COLUMN     "sendPolicy" "SendPolicy" NOT NULL DEFAULT 'open';

-- CreateTable
CREATE TABLE "MailboxCorrespondent" (
    "tenantId" TEXT NOT NULL,
    "mailboxId" TEXT NOT NULL,
    "addressHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MailboxCorrespondent_pkey" PRIMARY KEY ("mailboxId","addressHash")
);

-- CreateIndex
CREATE INDEX "MailboxCorrespondent_tenantId_mailboxId_idx" ON "MailboxCorrespondent"("tenantId", "mailboxId");
