-- CreateTable
CREATE TABLE "AlertSettings" (
    "id" TEXT NOT NULL PRIMARY KEY DEFAULT 'default',
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
    "updatedAt" DATETIME NOT NULL,
    "updatedBy" TEXT NOT NULL DEFAULT ''
);

-- CreateTable
CREATE TABLE "AlertChannel" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "recipients" TEXT NOT NULL DEFAULT '',
    "storeId" TEXT,
    "fallbackStoreId" TEXT,
    "urlEnc" TEXT,
    "urlHost" TEXT NOT NULL DEFAULT '',
    "signingSecretEnc" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL DEFAULT ''
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "key" TEXT NOT NULL,
    "condition" TEXT NOT NULL,
    "storeId" TEXT,
    "storeName" TEXT NOT NULL DEFAULT '',
    "severity" TEXT NOT NULL,
    "stage" TEXT NOT NULL DEFAULT '',
    "title" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '',
    "startedAt" DATETIME NOT NULL,
    "lastNotifiedAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME
);

-- CreateTable
CREATE TABLE "AlertNotice" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "alertId" TEXT,
    "channelId" TEXT,
    "channelName" TEXT NOT NULL DEFAULT '',
    "event" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "storeName" TEXT NOT NULL DEFAULT '',
    "ok" BOOLEAN NOT NULL,
    "outcome" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL,
    "actorEmail" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "AlertNotice_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AlertNotice_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "AlertChannel" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Alert_key_resolvedAt_idx" ON "Alert"("key", "resolvedAt");

-- CreateIndex
CREATE INDEX "Alert_startedAt_idx" ON "Alert"("startedAt");

-- CreateIndex
CREATE INDEX "AlertNotice_createdAt_idx" ON "AlertNotice"("createdAt");
