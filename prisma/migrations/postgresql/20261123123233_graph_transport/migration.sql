-- AlterTable
ALTER TABLE "NotificationProfile" ADD COLUMN     "graphEndpoint" TEXT NOT NULL DEFAULT 'https://graph.microsoft.com/v1.0',
ADD COLUMN     "graphSender" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "transport" TEXT NOT NULL DEFAULT 'smtp';
