-- CreateTable
CREATE TABLE "RelayCredential" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "sources" TEXT NOT NULL DEFAULT '[]',
    "fromPolicy" TEXT NOT NULL DEFAULT 'refuse',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,
    "lastUsedAt" DATETIME,
    "lastUsedFrom" TEXT NOT NULL DEFAULT '',
    "revokedAt" DATETIME,
    CONSTRAINT "RelayCredential_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "IdentityStore" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RelayAccess" (
    "storeId" TEXT NOT NULL PRIMARY KEY,
    "openSources" TEXT NOT NULL DEFAULT '[]',
    "fromPolicy" TEXT NOT NULL DEFAULT 'refuse',
    "updatedAt" DATETIME NOT NULL,
    "updatedBy" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "RelayAccess_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "IdentityStore" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
    "outboxId" TEXT,
    "clientAddress" TEXT NOT NULL DEFAULT '',
    "rejected" TEXT NOT NULL DEFAULT '[]',
    CONSTRAINT "DeliveryLog_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "IdentityStore" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_DeliveryLog" ("actorEmail", "adviceId", "createdAt", "durationMs", "failedStep", "id", "kind", "messageId", "ok", "outboxId", "queueId", "recipient", "replyCode", "replyText", "storeId", "subject", "transport") SELECT "actorEmail", "adviceId", "createdAt", "durationMs", "failedStep", "id", "kind", "messageId", "ok", "outboxId", "queueId", "recipient", "replyCode", "replyText", "storeId", "subject", "transport" FROM "DeliveryLog";
DROP TABLE "DeliveryLog";
ALTER TABLE "new_DeliveryLog" RENAME TO "DeliveryLog";
CREATE INDEX "DeliveryLog_storeId_createdAt_idx" ON "DeliveryLog"("storeId", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "RelayCredential_username_key" ON "RelayCredential"("username");

-- CreateIndex
CREATE INDEX "RelayCredential_storeId_idx" ON "RelayCredential"("storeId");
