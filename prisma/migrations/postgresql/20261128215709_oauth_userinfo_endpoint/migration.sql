-- AlterTable
ALTER TABLE "NotificationProfile" ADD COLUMN     "oauthUserinfoEndpoint" TEXT NOT NULL DEFAULT '';
