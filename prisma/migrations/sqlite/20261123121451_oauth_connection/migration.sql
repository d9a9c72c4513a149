-- CreateTable
CREATE TABLE "OAuthState" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "profileId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "codeVerifierEnc" TEXT NOT NULL,
    "redirectUri" TEXT NOT NULL,
    "allowAccountChange" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_NotificationProfile" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
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
    "updatedAt" DATETIME NOT NULL,
    "updatedBy" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "NotificationProfile_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "IdentityStore" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_NotificationProfile" ("allowSelfSigned", "authType", "authorizationEndpoint", "ccAddresses", "certificateKeyEnc", "certificateKeySetAt", "certificateThumbprint", "clientId", "clientSecretEnc", "clientSecretExpiresAt", "clientSecretSetAt", "connectTimeoutSeconds", "credentialType", "ehloName", "fromAddress", "fromName", "grantType", "greetingTimeoutSeconds", "host", "id", "managedByBeforeRemoval", "managedByBeforeRemovalDays", "managedByOnAdded", "managedByOnRemoved", "managedBySameAsMembership", "membershipBeforeLeave", "membershipBeforeLeaveDays", "membershipOnJoin", "membershipOnLeave", "notifyActor", "notifyAddedMembers", "notifyGroupOwners", "notifyManagers", "notifyModifiedObject", "notifyPublicGroupOwners", "notifyRemovedMembers", "oauthCloud", "oauthLoginUser", "oauthPasswordEnc", "oauthPasswordSetAt", "oauthProvider", "oauthUsername", "passwordExpiryPortalUrl", "port", "preset", "scope", "securityMode", "smtpPasswordEnc", "smtpPasswordSetAt", "smtpUsername", "socketTimeoutSeconds", "storeId", "tenantId", "toAddresses", "tokenEndpoint", "updatedAt", "updatedBy", "useAuth", "version") SELECT "allowSelfSigned", "authType", "authorizationEndpoint", "ccAddresses", "certificateKeyEnc", "certificateKeySetAt", "certificateThumbprint", "clientId", "clientSecretEnc", "clientSecretExpiresAt", "clientSecretSetAt", "connectTimeoutSeconds", "credentialType", "ehloName", "fromAddress", "fromName", "grantType", "greetingTimeoutSeconds", "host", "id", "managedByBeforeRemoval", "managedByBeforeRemovalDays", "managedByOnAdded", "managedByOnRemoved", "managedBySameAsMembership", "membershipBeforeLeave", "membershipBeforeLeaveDays", "membershipOnJoin", "membershipOnLeave", "notifyActor", "notifyAddedMembers", "notifyGroupOwners", "notifyManagers", "notifyModifiedObject", "notifyPublicGroupOwners", "notifyRemovedMembers", "oauthCloud", "oauthLoginUser", "oauthPasswordEnc", "oauthPasswordSetAt", "oauthProvider", "oauthUsername", "passwordExpiryPortalUrl", "port", "preset", "scope", "securityMode", "smtpPasswordEnc", "smtpPasswordSetAt", "smtpUsername", "socketTimeoutSeconds", "storeId", "tenantId", "toAddresses", "tokenEndpoint", "updatedAt", "updatedBy", "useAuth", "version" FROM "NotificationProfile";
DROP TABLE "NotificationProfile";
ALTER TABLE "new_NotificationProfile" RENAME TO "NotificationProfile";
CREATE UNIQUE INDEX "NotificationProfile_storeId_key" ON "NotificationProfile"("storeId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "OAuthState_expiresAt_idx" ON "OAuthState"("expiresAt");
