-- CreateTable
CREATE TABLE "RelayCertificateInUse" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "hostname" TEXT NOT NULL,
    "ports" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL,
    "certFile" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "fingerprint256" TEXT NOT NULL,
    "validTo" DATETIME NOT NULL,
    "seenAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "RelayCertificateInUse_seenAt_idx" ON "RelayCertificateInUse"("seenAt");
