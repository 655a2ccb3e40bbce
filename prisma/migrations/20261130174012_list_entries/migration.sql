-- CreateTable
CREATE TABLE "ListEntry" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "mailboxId" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "entryHash" TEXT NOT NULL,
    "entryCipher" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ListEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ListEntry_tenantId_mailboxId_direction_kind_id_idx" ON "ListEntry"("tenantId", "mailboxId", "direction", "kind", "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "ListEntry_tenantId_mailboxId_direction_kind_entryHash_key" ON "ListEntry"("tenantId", "mailboxId", "direction", "kind", "entryHash");
