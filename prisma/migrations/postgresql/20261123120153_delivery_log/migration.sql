-- CreateTable
CREATE TABLE "DeliveryLog" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorEmail" TEXT NOT NULL DEFAULT '',
    "kind" TEXT NOT NULL DEFAULT 'test',
    "transport" TEXT NOT NULL DEFAULT 'smtp',
    "recipient" TEXT NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "failedStep" TEXT NOT NULL DEFAULT '',
    "replyCode" INTEGER,
    "replyText" TEXT NOT NULL DEFAULT '',
    "adviceId" TEXT NOT NULL DEFAULT '',
    "messageId" TEXT NOT NULL DEFAULT '',
    "queueId" TEXT NOT NULL DEFAULT '',
    "durationMs" INTEGER NOT NULL,

    CONSTRAINT "DeliveryLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DeliveryLog_storeId_createdAt_idx" ON "DeliveryLog"("storeId", "createdAt");

-- AddForeignKey
ALTER TABLE "DeliveryLog" ADD CONSTRAINT "DeliveryLog_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "IdentityStore"("id") ON DELETE CASCADE ON UPDATE CASCADE;
