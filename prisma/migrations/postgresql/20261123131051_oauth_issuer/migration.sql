-- AlterTable
ALTER TABLE "NotificationProfile" ADD COLUMN     "oauthIssuer" TEXT NOT NULL DEFAULT '';
