-- AlterTable
ALTER TABLE "NotificationProfile" ADD COLUMN     "plainTextSince" TIMESTAMP(3),
ADD COLUMN     "selfSignedSince" TIMESTAMP(3);

-- Secrets saved before this migration may predate the choice of "None" or "allow self-signed":
-- they are not sent over such a connection until entered again (docs/security.md#no-credentials-in-clear-text).
UPDATE "NotificationProfile" SET "plainTextSince" = CURRENT_TIMESTAMP WHERE "securityMode" = 'none';
UPDATE "NotificationProfile" SET "selfSignedSince" = CURRENT_TIMESTAMP WHERE "allowSelfSigned";
