-- AlterTable
ALTER TABLE "ApiIdempotency" ADD COLUMN "outboxId" TEXT;

-- AlterTable
ALTER TABLE "DeliveryLog" ADD COLUMN "outboxId" TEXT;

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "bodyPurgedAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT NOT NULL DEFAULT '',
    "leaseUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "sentAt" DATETIME,
    "finishedAt" DATETIME,
    "lastStep" TEXT NOT NULL DEFAULT '',
    "lastReplyCode" INTEGER,
    "lastReply" TEXT NOT NULL DEFAULT '',
    "lastDetail" TEXT NOT NULL DEFAULT '',
    "lastAdvice" TEXT NOT NULL DEFAULT '',
    "queueId" TEXT NOT NULL DEFAULT '',
    "rejected" TEXT NOT NULL DEFAULT '[]',
    CONSTRAINT "OutboxMessage_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "IdentityStore" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OutboxAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "outboxId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "step" TEXT NOT NULL DEFAULT '',
    "replyCode" INTEGER,
    "reply" TEXT NOT NULL DEFAULT '',
    "detail" TEXT NOT NULL DEFAULT '',
    "advice" TEXT NOT NULL DEFAULT '',
    "retryAt" DATETIME,
    "worker" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "OutboxAttempt_outboxId_fkey" FOREIGN KEY ("outboxId") REFERENCES "OutboxMessage" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WorkerHeartbeat" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seenAt" DATETIME NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'running',
    "inFlight" INTEGER NOT NULL DEFAULT 0
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_NotificationProfile" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "transport" TEXT NOT NULL DEFAULT 'smtp',
    "graphEndpoint" TEXT NOT NULL DEFAULT 'https://graph.microsoft.com/v1.0',
    "graphSender" TEXT NOT NULL DEFAULT '',
    "preset" TEXT NOT NULL DEFAULT 'custom',
    "host" TEXT NOT NULL DEFAULT '',
    "port" INTEGER NOT NULL DEFAULT 587,
    "securityMode" TEXT NOT NULL DEFAULT 'auto',
    "allowSelfSigned" BOOLEAN NOT NULL DEFAULT false,
    "ehloName" TEXT NOT NULL DEFAULT '',
    "fromAddress" TEXT NOT NULL DEFAULT '',
    "fromName" TEXT NOT NULL DEFAULT '',
    "connectTimeoutSeconds" INTEGER NOT NULL DEFAULT 10,
    "greetingTimeoutSeconds" INTEGER NOT NULL DEFAULT 10,
    "socketTimeoutSeconds" INTEGER NOT NULL DEFAULT 20,
    "useAuth" BOOLEAN NOT NULL DEFAULT false,
    "authType" TEXT NOT NULL DEFAULT 'basic',
    "smtpUsername" TEXT NOT NULL DEFAULT '',
    "smtpPasswordEnc" TEXT,
    "smtpPasswordSetAt" DATETIME,
    "oauthProvider" TEXT NOT NULL DEFAULT 'microsoft',
    "oauthCloud" TEXT NOT NULL DEFAULT 'global',
    "tenantId" TEXT NOT NULL DEFAULT '',
    "clientId" TEXT NOT NULL DEFAULT '',
    "credentialType" TEXT NOT NULL DEFAULT 'secret',
    "clientSecretEnc" TEXT,
    "clientSecretSetAt" DATETIME,
    "clientSecretExpiresAt" DATETIME,
    "certificateThumbprint" TEXT NOT NULL DEFAULT '',
    "certificateKeyEnc" TEXT,
    "certificateKeySetAt" DATETIME,
    "authorizationEndpoint" TEXT NOT NULL DEFAULT '',
    "tokenEndpoint" TEXT NOT NULL DEFAULT '',
    "oauthIssuer" TEXT NOT NULL DEFAULT '',
    "scope" TEXT NOT NULL DEFAULT '',
    "grantType" TEXT NOT NULL DEFAULT 'authorization_code',
    "oauthLoginUser" TEXT NOT NULL DEFAULT '',
    "oauthUsername" TEXT NOT NULL DEFAULT '',
    "oauthPasswordEnc" TEXT,
    "oauthPasswordSetAt" DATETIME,
    "oauthStatus" TEXT NOT NULL DEFAULT 'not_connected',
    "oauthAccount" TEXT NOT NULL DEFAULT '',
    "oauthScopes" TEXT NOT NULL DEFAULT '',
    "oauthConnectedAt" DATETIME,
    "refreshTokenEnc" TEXT,
    "refreshTokenIssuedAt" DATETIME,
    "accessTokenEnc" TEXT,
    "accessTokenExpiresAt" DATETIME,
    "oauthLastRefreshAt" DATETIME,
    "oauthErrorCode" TEXT NOT NULL DEFAULT '',
    "oauthError" TEXT NOT NULL DEFAULT '',
    "tokenVersion" INTEGER NOT NULL DEFAULT 0,
    "toAddresses" TEXT NOT NULL DEFAULT '',
    "ccAddresses" TEXT NOT NULL DEFAULT '',
    "notifyActor" BOOLEAN NOT NULL DEFAULT false,
    "notifyModifiedObject" BOOLEAN NOT NULL DEFAULT false,
    "notifyGroupOwners" BOOLEAN NOT NULL DEFAULT false,
    "notifyManagers" BOOLEAN NOT NULL DEFAULT false,
    "notifyAddedMembers" BOOLEAN NOT NULL DEFAULT false,
    "notifyRemovedMembers" BOOLEAN NOT NULL DEFAULT false,
    "notifyPublicGroupOwners" BOOLEAN NOT NULL DEFAULT false,
    "passwordExpiryPortalUrl" TEXT NOT NULL DEFAULT '',
    "membershipOnJoin" BOOLEAN NOT NULL DEFAULT false,
    "membershipOnLeave" BOOLEAN NOT NULL DEFAULT false,
    "membershipBeforeLeave" BOOLEAN NOT NULL DEFAULT false,
    "membershipBeforeLeaveDays" INTEGER NOT NULL DEFAULT 2,
    "managedBySameAsMembership" BOOLEAN NOT NULL DEFAULT true,
    "managedByOnAdded" BOOLEAN NOT NULL DEFAULT false,
    "managedByOnRemoved" BOOLEAN NOT NULL DEFAULT false,
    "managedByBeforeRemoval" BOOLEAN NOT NULL DEFAULT false,
    "managedByBeforeRemovalDays" INTEGER NOT NULL DEFAULT 2,
    "sendPerMinute" INTEGER,
    "maxConnections" INTEGER,
    "dailyRecipientLimit" INTEGER,
    "maxAttempts" INTEGER NOT NULL DEFAULT 8,
    "updatedAt" DATETIME NOT NULL,
    "updatedBy" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "NotificationProfile_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "IdentityStore" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_NotificationProfile" ("accessTokenEnc", "accessTokenExpiresAt", "allowSelfSigned", "authType", "authorizationEndpoint", "ccAddresses", "certificateKeyEnc", "certificateKeySetAt", "certificateThumbprint", "clientId", "clientSecretEnc", "clientSecretExpiresAt", "clientSecretSetAt", "connectTimeoutSeconds", "credentialType", "ehloName", "fromAddress", "fromName", "grantType", "graphEndpoint", "graphSender", "greetingTimeoutSeconds", "host", "id", "managedByBeforeRemoval", "managedByBeforeRemovalDays", "managedByOnAdded", "managedByOnRemoved", "managedBySameAsMembership", "membershipBeforeLeave", "membershipBeforeLeaveDays", "membershipOnJoin", "membershipOnLeave", "notifyActor", "notifyAddedMembers", "notifyGroupOwners", "notifyManagers", "notifyModifiedObject", "notifyPublicGroupOwners", "notifyRemovedMembers", "oauthAccount", "oauthCloud", "oauthConnectedAt", "oauthError", "oauthErrorCode", "oauthIssuer", "oauthLastRefreshAt", "oauthLoginUser", "oauthPasswordEnc", "oauthPasswordSetAt", "oauthProvider", "oauthScopes", "oauthStatus", "oauthUsername", "passwordExpiryPortalUrl", "port", "preset", "refreshTokenEnc", "refreshTokenIssuedAt", "scope", "securityMode", "smtpPasswordEnc", "smtpPasswordSetAt", "smtpUsername", "socketTimeoutSeconds", "storeId", "tenantId", "toAddresses", "tokenEndpoint", "tokenVersion", "transport", "updatedAt", "updatedBy", "useAuth", "version") SELECT "accessTokenEnc", "accessTokenExpiresAt", "allowSelfSigned", "authType", "authorizationEndpoint", "ccAddresses", "certificateKeyEnc", "certificateKeySetAt", "certificateThumbprint", "clientId", "clientSecretEnc", "clientSecretExpiresAt", "clientSecretSetAt", "connectTimeoutSeconds", "credentialType", "ehloName", "fromAddress", "fromName", "grantType", "graphEndpoint", "graphSender", "greetingTimeoutSeconds", "host", "id", "managedByBeforeRemoval", "managedByBeforeRemovalDays", "managedByOnAdded", "managedByOnRemoved", "managedBySameAsMembership", "membershipBeforeLeave", "membershipBeforeLeaveDays", "membershipOnJoin", "membershipOnLeave", "notifyActor", "notifyAddedMembers", "notifyGroupOwners", "notifyManagers", "notifyModifiedObject", "notifyPublicGroupOwners", "notifyRemovedMembers", "oauthAccount", "oauthCloud", "oauthConnectedAt", "oauthError", "oauthErrorCode", "oauthIssuer", "oauthLastRefreshAt", "oauthLoginUser", "oauthPasswordEnc", "oauthPasswordSetAt", "oauthProvider", "oauthScopes", "oauthStatus", "oauthUsername", "passwordExpiryPortalUrl", "port", "preset", "refreshTokenEnc", "refreshTokenIssuedAt", "scope", "securityMode", "smtpPasswordEnc", "smtpPasswordSetAt", "smtpUsername", "socketTimeoutSeconds", "storeId", "tenantId", "toAddresses", "tokenEndpoint", "tokenVersion", "transport", "updatedAt", "updatedBy", "useAuth", "version" FROM "NotificationProfile";
DROP TABLE "NotificationProfile";
ALTER TABLE "new_NotificationProfile" RENAME TO "NotificationProfile";
CREATE UNIQUE INDEX "NotificationProfile_storeId_key" ON "NotificationProfile"("storeId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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
