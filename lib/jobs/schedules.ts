/**
 * Periodic housekeeping: each runs once per tick across all processes (pg-boss schedules on
 * PostgreSQL, timers in the one process of the embedded database).
 */
import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/log';
import { countPeriodicRun } from '@/lib/metrics';
import { applyRetention } from '@/lib/outbox/retention';
import { purgeIdempotencyKeys } from '@/lib/api-keys/idempotency-retention';
import { runAlertCheck } from '@/lib/alerts/engine';
import { runKeepAlive } from '@/lib/alerts/keep-alive';
import { forgetStaleRelayCertificates } from '@/lib/relay/certificate-record';
import type { JobEngine, PeriodicJob } from '@/lib/jobs/types';

/** Attempts whose job went missing (a dropped job after repeated crashes) are scheduled again after this long. */
const STRANDED_MS = 10 * 60_000;

const HOUSEKEEPING: PeriodicJob[] = [
  {
    name: 'oauth-states',
    everyMinutes: 15,
    run: async () => void (await db.oAuthState.deleteMany({ where: { expiresAt: { lt: new Date() } } })),
  },
  {
    name: 'idempotency-keys',
    everyMinutes: 60,
    run: () => purgeIdempotencyKeys(),
  },
  {
    name: 'outbox-retention',
    everyMinutes: 60,
    run: async () => {
      const r = await applyRetention();
      if (r.bodiesPurged || r.messagesDeleted) logger.info(r, 'outbox retention applied');
    },
  },
  {
    name: 'worker-heartbeats',
    everyMinutes: 5,
    run: async () =>
      void (await db.workerHeartbeat.deleteMany({ where: { seenAt: { lt: new Date(Date.now() - 10 * 60_000) } } })),
  },
  {
    name: 'relay-certificates',
    everyMinutes: 60,
    run: async () => void (await forgetStaleRelayCertificates()),
  },
  {
    name: 'alerts',
    everyMinutes: 5,
    run: async () => {
      const r = await runAlertCheck();
      if (r.fired || r.repeated || r.resolved) logger.info(r, 'alerts sent');
    },
  },
  {
    name: 'token-keepalive',
    everyMinutes: 60,
    run: async () => {
      const results = await runKeepAlive();
      // A failed refresh is an alert now, not at the next evaluation.
      if (results.some((r) => !r.ok)) await runAlertCheck();
    },
  },
];

/** A job for every message that has been due for a while without anybody sending it. */
export function strandedMessagesJob(engine: JobEngine): PeriodicJob {
  return {
    name: 'outbox-stranded',
    everyMinutes: 10,
    run: async () => {
      const before = new Date(Date.now() - STRANDED_MS);
      const rows = await db.outboxMessage.findMany({
        where: {
          OR: [
            { state: { in: ['queued', 'retrying'] }, nextAttemptAt: { lt: before } },
            { state: 'sending', leaseUntil: { lt: before } },
          ],
        },
        select: { id: true, storeId: true },
        take: 500,
      });
      for (const r of rows) await engine.scheduleDelivery(r.storeId, r.id, new Date());
      if (rows.length) logger.warn({ count: rows.length }, 'outbox: scheduled stranded messages again');
    },
  };
}

/**
 * Every periodic job of a process, each counted in the metrics when it runs. PERIODIC_EVERY_MINUTES
 * runs them all at that interval instead of their own (troubleshooting; the tests use 1).
 */
export function periodicJobs(engine: JobEngine): PeriodicJob[] {
  const every = getEnv().PERIODIC_EVERY_MINUTES;
  return [...HOUSEKEEPING, strandedMessagesJob(engine)].map((job) => ({
    name: job.name,
    everyMinutes: every ?? job.everyMinutes,
    run: async () => {
      try {
        await job.run();
        countPeriodicRun(job.name, 'ok');
      } catch (err) {
        countPeriodicRun(job.name, 'failed');
        throw err;
      }
    },
  }));
}
