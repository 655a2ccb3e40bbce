-- CreateTable
CREATE TABLE "TenantDataKey" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "wrappedKey" BYTEA NOT NULL,
    "masterKeyId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TenantDataKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TenantListEntry" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "entryHash" TEXT NOT NULL,
    "entryCipher" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TenantListEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QuarantinedMessage" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "mailboxId" TEXT NOT NULL,
    "rfcMessageIdHash" TEXT NOT NULL,
    "metaCipher" BYTEA NOT NULL,
    "contentCipher" BYTEA NOT NULL,
    "sizeBytes" INTEGER NOT NULL DEFAULT 0,
    "attachmentCount" INTEGER NOT NULL DEFAULT 0,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QuarantinedMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TenantDataKey_tenantId_key" ON "TenantDataKey"("tenantId");

-- CreateIndex
CREATE INDEX "TenantDataKey_masterKeyId_idx" ON "TenantDataKey"("masterKeyId");

-- CreateIndex
CREATE INDEX "TenantListEntry_tenantId_direction_kind_id_idx" ON "TenantListEntry"("tenantId", "direction", "kind", "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "TenantListEntry_tenantId_direction_kind_entryHash_key" ON "TenantListEntry"("tenantId", "direction", "kind", "entryHash");

-- CreateIndex
CREATE INDEX "QuarantinedMessage_tenantId_mailboxId_id_idx" ON "QuarantinedMessage"("tenantId", "mailboxId", "id" DESC);

-- CreateIndex
CREATE INDEX "QuarantinedMessage_tenantId_id_idx" ON "QuarantinedMessage"("tenantId", "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "QuarantinedMessage_mailboxId_rfcMessageIdHash_key" ON "QuarantinedMessage"("mailboxId", "rfcMessageIdHash");

-- AddForeignKey
ALTER TABLE "QuarantinedMessage" ADD CONSTRAINT "QuarantinedMessage_mailboxId_fkey" FOREIGN KEY ("mailboxId") REFERENCES "Mailbox"("id") ON DELETE CASCADE ON UPDATE CASCADE;
