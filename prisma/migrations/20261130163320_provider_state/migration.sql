-- CreateTable
CREATE TABLE "ProviderState" (
    "provider" TEXT NOT NULL,
    "nextCallAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "pausedAt" TIMESTAMP(3),
    "pauseReason" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProviderState_pkey" PRIMARY KEY ("provider")
);
