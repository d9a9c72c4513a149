-- AlterTable
ALTER TABLE "NotificationProfile" ADD COLUMN     "accessTokenEnc" TEXT,
ADD COLUMN     "accessTokenExpiresAt" TIMESTAMP(3),
ADD COLUMN     "oauthAccount" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "oauthConnectedAt" TIMESTAMP(3),
ADD COLUMN     "oauthError" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "oauthErrorCode" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "oauthLastRefreshAt" TIMESTAMP(3),
ADD COLUMN     "oauthScopes" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "oauthStatus" TEXT NOT NULL DEFAULT 'not_connected',
ADD COLUMN     "refreshTokenEnc" TEXT,
ADD COLUMN     "refreshTokenIssuedAt" TIMESTAMP(3),
ADD COLUMN     "tokenVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "OAuthState" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "profileId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "codeVerifierEnc" TEXT NOT NULL,
    "redirectUri" TEXT NOT NULL,
    "allowAccountChange" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OAuthState_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OAuthState_expiresAt_idx" ON "OAuthState"("expiresAt");
