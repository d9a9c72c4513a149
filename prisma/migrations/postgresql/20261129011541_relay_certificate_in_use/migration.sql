-- CreateTable
CREATE TABLE "RelayCertificateInUse" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "hostname" TEXT NOT NULL,
    "ports" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL,
    "certFile" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "fingerprint256" TEXT NOT NULL,
    "validTo" TIMESTAMP(3) NOT NULL,
    "seenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RelayCertificateInUse_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RelayCertificateInUse_seenAt_idx" ON "RelayCertificateInUse"("seenAt");
