-- AlterTable
ALTER TABLE "NotificationProfile" ADD COLUMN "tokenRefreshUntil" DATETIME;
