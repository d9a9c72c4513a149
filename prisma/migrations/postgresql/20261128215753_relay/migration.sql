-- AlterTable
ALTER TABLE "DeliveryLog" ADD COLUMN     "clientAddress" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "rejected" TEXT NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "RelayCredential" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "sources" TEXT NOT NULL DEFAULT '[]',
    "fromPolicy" TEXT NOT NULL DEFAULT 'refuse',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,
    "lastUsedAt" TIMESTAMP(3),
    "lastUsedFrom" TEXT NOT NULL DEFAULT '',
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "RelayCredential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RelayAccess" (
    "storeId" TEXT NOT NULL,
    "openSources" TEXT NOT NULL DEFAULT '[]',
    "fromPolicy" TEXT NOT NULL DEFAULT 'refuse',
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "RelayAccess_pkey" PRIMARY KEY ("storeId")
);

-- CreateIndex
CREATE UNIQUE INDEX "RelayCredential_username_key" ON "RelayCredential"("username");

-- CreateIndex
CREATE INDEX "RelayCredential_storeId_idx" ON "RelayCredential"("storeId");

-- AddForeignKey
ALTER TABLE "RelayCredential" ADD CONSTRAINT "RelayCredential_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "IdentityStore"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RelayAccess" ADD CONSTRAINT "RelayAccess_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "IdentityStore"("id") ON DELETE CASCADE ON UPDATE CASCADE;
