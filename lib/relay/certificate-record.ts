/**
 * The relay's certificate in the database, so that the alert check warns before it expires: the
 * check runs once across processes, maybe in one that does not run the relay (`npm run worker`).
 * Each started relay keeps its own row fresh while it listens and removes it when it stops; a row
 * not refreshed for a few hours (a process that died) no longer counts.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { db } from '@/lib/db';
import { logger } from '@/lib/log';
import type { RelayCertificate } from '@/lib/relay/status';

/** How often a listening relay writes its row again. */
export const CERTIFICATE_SEEN_EVERY_MS = 60 * 60_000;
/** A row older than this belongs to a relay that is gone. */
export const CERTIFICATE_STALE_MS = 3 * CERTIFICATE_SEEN_EVERY_MS;

export type RelayCertificateInUse = {
  hostname: string;
  ports: string;
  source: string;
  certFile: string;
  subject: string;
  fingerprint256: string;
  validTo: Date;
  host: string;
};

/**
 * Records `certificate` as served by this relay until `stop()` is called, refreshed hourly;
 * resolves once the first write is done. Database trouble is logged, never fatal: the relay
 * serves without it.
 */
export async function keepCertificateRecorded(
  certificate: RelayCertificate,
  where: { hostname: string; ports: number[] },
): Promise<{ stop: () => Promise<void> }> {
  const id = randomUUID();
  const row = {
    host: os.hostname(),
    pid: process.pid,
    hostname: where.hostname,
    ports: where.ports.join(', '),
    source: certificate.source,
    certFile: certificate.certFile,
    subject: certificate.subject,
    fingerprint256: certificate.fingerprint256,
    validTo: new Date(certificate.validTo),
  };
  let written: Promise<unknown> = Promise.resolve();
  const write = () => {
    const seenAt = new Date();
    written = db.relayCertificateInUse
      .upsert({ where: { id }, create: { id, ...row, seenAt }, update: { seenAt } })
      .catch((err: unknown) =>
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'relay: could not record its certificate'),
      );
  };
  write();
  await written;
  const timer = setInterval(write, CERTIFICATE_SEEN_EVERY_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await written;
      await db.relayCertificateInUse.deleteMany({ where: { id } }).catch(() => undefined);
    },
  };
}

/** The certificates relays serve now, one per fingerprint (several processes may share one). */
export async function relayCertificatesInUse(now: Date): Promise<RelayCertificateInUse[]> {
  const rows = await db.relayCertificateInUse.findMany({
    where: { seenAt: { gte: new Date(now.getTime() - CERTIFICATE_STALE_MS) } },
    orderBy: [{ seenAt: 'desc' }, { id: 'asc' }],
    select: {
      hostname: true,
      ports: true,
      source: true,
      certFile: true,
      subject: true,
      fingerprint256: true,
      validTo: true,
      host: true,
    },
  });
  const byFingerprint = new Map<string, RelayCertificateInUse>();
  for (const r of rows) if (!byFingerprint.has(r.fingerprint256)) byFingerprint.set(r.fingerprint256, r);
  return [...byFingerprint.values()];
}

/** Housekeeping: rows of relays that stopped without removing theirs. */
export function forgetStaleRelayCertificates(now = new Date()) {
  return db.relayCertificateInUse.deleteMany({ where: { seenAt: { lt: new Date(now.getTime() - 8 * CERTIFICATE_STALE_MS) } } });
}
