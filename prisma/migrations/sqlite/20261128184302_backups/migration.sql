-- CreateTable
CREATE TABLE "Backup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL,
    "fileName" TEXT NOT NULL,
    "keysIncluded" BOOLEAN NOT NULL,
    "schemaVersion" TEXT NOT NULL,
    "restoredAt" DATETIME
);

-- CreateIndex
CREATE INDEX "Backup_createdAt_idx" ON "Backup"("createdAt");
