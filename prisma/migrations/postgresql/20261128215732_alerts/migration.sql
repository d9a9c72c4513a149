-- CreateTable
CREATE TABLE "AlertSettings" (
    "id" TEXT NOT NULL DEFAULT 'default',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "repeatMinutes" INTEGER NOT NULL DEFAULT 240,
    "keepAliveDays" INTEGER NOT NULL DEFAULT 14,
    "tokenIdleDays" INTEGER NOT NULL DEFAULT 30,
    "failedInRow" INTEGER NOT NULL DEFAULT 3,
    "failureRatePercent" INTEGER NOT NULL DEFAULT 50,
    "failureWindowMinutes" INTEGER NOT NULL DEFAULT 60,
    "backlogCount" INTEGER NOT NULL DEFAULT 100,
    "oldestQueuedMinutes" INTEGER NOT NULL DEFAULT 30,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "AlertSettings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertChannel" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "recipients" TEXT NOT NULL DEFAULT '',
    "storeId" TEXT,
    "fallbackStoreId" TEXT,
    "urlEnc" TEXT,
    "urlHost" TEXT NOT NULL DEFAULT '',
    "signingSecretEnc" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "AlertChannel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "condition" TEXT NOT NULL,
    "storeId" TEXT,
    "storeName" TEXT NOT NULL DEFAULT '',
    "severity" TEXT NOT NULL,
    "stage" TEXT NOT NULL DEFAULT '',
    "title" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '',
    "startedAt" TIMESTAMP(3) NOT NULL,
    "lastNotifiedAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertNotice" (
    "id" TEXT NOT NULL,
    "alertId" TEXT,
    "channelId" TEXT,
    "channelName" TEXT NOT NULL DEFAULT '',
    "event" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "storeName" TEXT NOT NULL DEFAULT '',
    "ok" BOOLEAN NOT NULL,
    "outcome" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL,
    "actorEmail" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "AlertNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Alert_key_resolvedAt_idx" ON "Alert"("key", "resolvedAt");

-- CreateIndex
CREATE INDEX "Alert_startedAt_idx" ON "Alert"("startedAt");

-- CreateIndex
CREATE INDEX "AlertNotice_createdAt_idx" ON "AlertNotice"("createdAt");

-- AddForeignKey
ALTER TABLE "AlertNotice" ADD CONSTRAINT "AlertNotice_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertNotice" ADD CONSTRAINT "AlertNotice_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "AlertChannel"("id") ON DELETE SET NULL ON UPDATE CASCADE;
