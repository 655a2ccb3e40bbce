-- CreateTable
CREATE TABLE "Draft" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "mailboxId" TEXT NOT NULL,
    "metaCipher" BYTEA NOT NULL,
    "bodyCipher" BYTEA NOT NULL,
    "sizeBytes" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Draft_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DraftAttachment" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "mailboxId" TEXT NOT NULL,
    "draftId" TEXT NOT NULL,
    "metaCipher" BYTEA NOT NULL,
    "dataCipher" BYTEA NOT NULL,
    "size" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DraftAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Draft_tenantId_mailboxId_id_idx" ON "Draft"("tenantId", "mailboxId", "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Draft_tenantId_id_key" ON "Draft"("tenantId", "id");

-- CreateIndex
CREATE INDEX "DraftAttachment_tenantId_mailboxId_draftId_idx" ON "DraftAttachment"("tenantId", "mailboxId", "draftId");

-- AddForeignKey
ALTER TABLE "DraftAttachment" ADD CONSTRAINT "DraftAttachment_draftId_fkey" FOREIGN KEY ("draftId") REFERENCES "Draft"("id") ON DELETE CASCADE ON UPDATE CASCADE;
