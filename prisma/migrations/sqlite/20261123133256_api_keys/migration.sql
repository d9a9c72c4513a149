-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "ApiKey_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "IdentityStore" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_DeliveryLog" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorEmail" TEXT NOT NULL DEFAULT '',
    "kind" TEXT NOT NULL DEFAULT 'test',
    "transport" TEXT NOT NULL DEFAULT 'smtp',
    "recipient" TEXT NOT NULL,
    "subject" TEXT NOT NULL DEFAULT '',
    "ok" BOOLEAN NOT NULL,
    "failedStep" TEXT NOT NULL DEFAULT '',
    "replyCode" INTEGER,
    "replyText" TEXT NOT NULL DEFAULT '',
    "adviceId" TEXT NOT NULL DEFAULT '',
    "messageId" TEXT NOT NULL DEFAULT '',
    "queueId" TEXT NOT NULL DEFAULT '',
    "durationMs" INTEGER NOT NULL,
    CONSTRAINT "DeliveryLog_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "IdentityStore" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_DeliveryLog" ("actorEmail", "adviceId", "createdAt", "durationMs", "failedStep", "id", "kind", "messageId", "ok", "queueId", "recipient", "replyCode", "replyText", "storeId", "transport") SELECT "actorEmail", "adviceId", "createdAt", "durationMs", "failedStep", "id", "kind", "messageId", "ok", "queueId", "recipient", "replyCode", "replyText", "storeId", "transport" FROM "DeliveryLog";
DROP TABLE "DeliveryLog";
ALTER TABLE "new_DeliveryLog" RENAME TO "DeliveryLog";
CREATE INDEX "DeliveryLog_storeId_createdAt_idx" ON "DeliveryLog"("storeId", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_hash_key" ON "ApiKey"("hash");

-- CreateIndex
CREATE INDEX "ApiKey_storeId_idx" ON "ApiKey"("storeId");
