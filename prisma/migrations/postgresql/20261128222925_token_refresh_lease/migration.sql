-- AlterTable
ALTER TABLE "NotificationProfile" ADD COLUMN     "tokenRefreshUntil" TIMESTAMP(3);
