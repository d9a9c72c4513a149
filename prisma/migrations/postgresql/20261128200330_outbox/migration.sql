-- AlterTable
ALTER TABLE "ApiIdempotency" ADD COLUMN     "outboxId" TEXT;

-- AlterTable
ALTER TABLE "DeliveryLog" ADD COLUMN     "outboxId" TEXT;

-- AlterTable
ALTER TABLE "NotificationProfile" ADD COLUMN     "dailyRecipientLimit" INTEGER,
ADD COLUMN     "maxAttempts" INTEGER NOT NULL DEFAULT 8,
ADD COLUMN     "maxConnections" INTEGER,
ADD COLUMN     "sendPerMinute" INTEGER;

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "messageId" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT '',
    "apiKeyId" TEXT,
    "relayCredentialId" TEXT,
    "clientAddress" TEXT NOT NULL DEFAULT '',
    "transport" TEXT NOT NULL DEFAULT 'smtp',
    "envelopeFrom" TEXT NOT NULL,
    "toAddresses" TEXT NOT NULL DEFAULT '[]',
    "ccAddresses" TEXT NOT NULL DEFAULT '[]',
    "recipients" TEXT NOT NULL,
    "recipientCount" INTEGER NOT NULL,
    "subject" TEXT NOT NULL DEFAULT '',
    "bodyEnc" TEXT,
    "bodyBytes" INTEGER NOT NULL DEFAULT 0,
    "bodyPurgedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT NOT NULL DEFAULT '',
    "leaseUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "lastStep" TEXT NOT NULL DEFAULT '',
    "lastReplyCode" INTEGER,
    "lastReply" TEXT NOT NULL DEFAULT '',
    "lastDetail" TEXT NOT NULL DEFAULT '',
    "lastAdvice" TEXT NOT NULL DEFAULT '',
    "queueId" TEXT NOT NULL DEFAULT '',
    "rejected" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxAttempt" (
    "id" TEXT NOT NULL,
    "outboxId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "step" TEXT NOT NULL DEFAULT '',
    "replyCode" INTEGER,
    "reply" TEXT NOT NULL DEFAULT '',
    "detail" TEXT NOT NULL DEFAULT '',
    "advice" TEXT NOT NULL DEFAULT '',
    "retryAt" TIMESTAMP(3),
    "worker" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "OutboxAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkerHeartbeat" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seenAt" TIMESTAMP(3) NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'running',
    "inFlight" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "WorkerHeartbeat_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_messageId_key" ON "OutboxMessage"("messageId");

-- CreateIndex
CREATE INDEX "OutboxMessage_state_nextAttemptAt_idx" ON "OutboxMessage"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_storeId_state_idx" ON "OutboxMessage"("storeId", "state");

-- CreateIndex
CREATE INDEX "OutboxMessage_storeId_createdAt_idx" ON "OutboxMessage"("storeId", "createdAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_createdAt_idx" ON "OutboxMessage"("createdAt");

-- CreateIndex
CREATE INDEX "OutboxAttempt_outboxId_number_idx" ON "OutboxAttempt"("outboxId", "number");

-- CreateIndex
CREATE INDEX "WorkerHeartbeat_seenAt_idx" ON "WorkerHeartbeat"("seenAt");

-- AddForeignKey
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "IdentityStore"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxAttempt" ADD CONSTRAINT "OutboxAttempt_outboxId_fkey" FOREIGN KEY ("outboxId") REFERENCES "OutboxMessage"("id") ON DELETE CASCADE ON UPDATE CASCADE;
