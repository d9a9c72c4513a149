/**
 * Readiness and the metrics endpoint inside one process (the embedded database): who may read the
 * metrics, what readiness says about workers and components, and that a stop makes it not ready.
 * The same across two real processes on PostgreSQL: tests/e2e/several-instances.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as metricsRoute } from '@/app/api/metrics/route';
import { GET as readyRoute } from '@/app/api/health/ready/route';
import { resetEnvCache } from '@/lib/env';
import { stopJobEngine } from '@/lib/jobs';
import { CLIENT_ADDRESS_HEADER } from '@/lib/http/client-address';
import { routeLabel } from '@/lib/metrics';
import type { Background } from '@/lib/runtime/background';
import { registerComponent, stopComponents } from '@/lib/runtime/components';
import { db } from '@/lib/db';
import { saveNotificationSettings } from '@/lib/notifications/service';
import { enqueue } from '@/lib/outbox/enqueue';
import { createStore } from '@/lib/stores/service';
import { notificationsSchema } from '@/lib/validation/notifications';
import { notificationsInput } from '@/tests/support/notification-values';
import { startTestWorker } from '@/tests/support/outbox';
import { until } from '@/tests/support/processes';
import { startSmtpPeer } from '@/tests/support/smtp-peer';

const scrape = (address: string, headers: Record<string, string> = {}) =>
  metricsRoute(new Request('http://localhost/api/metrics', { headers: { [CLIENT_ADDRESS_HEADER]: address, ...headers } }));

type Report = { status: string; reasons: string[]; workers: { running: number }; components: Record<string, { ready: boolean }> };
const ready = async () => {
  const res = await readyRoute();
  return { status: res.status, body: (await res.json()) as Report };
};

let worker: Background | undefined;
afterAll(async () => {
  await worker?.stop(5_000);
  await stopJobEngine();
  delete process.env.METRICS_TOKEN;
  resetEnvCache();
});

describe('the metrics endpoint', () => {
  it('without METRICS_TOKEN it answers loopback clients only, whatever X-Forwarded-For says', async () => {
    const local = await scrape('127.0.0.1');
    expect(local.status).toBe(200);
    const text = await local.text();
    expect(text).toContain('mailroom_outbox_messages{state="queued"} 0');
    expect(text).toContain('mailroom_database_up 1');
    expect((await scrape('::1')).status).toBe(200);
    const remote = await scrape('192.0.2.5', { 'x-forwarded-for': '127.0.0.1' });
    expect(remote.status).toBe(403);
    expect(await remote.text()).not.toContain('mailroom_');
  });

  it('with METRICS_TOKEN it needs the bearer token, from anywhere', async () => {
    process.env.METRICS_TOKEN = 'metrics-token-0123456789';
    resetEnvCache();
    expect((await scrape('127.0.0.1')).status).toBe(401);
    expect((await scrape('192.0.2.5', { authorization: 'Bearer metrics-token-012345678' })).status).toBe(401);
    expect((await scrape('192.0.2.5', { authorization: 'Bearer metrics-token-0123456789' })).status).toBe(200);
  });

  it('labels a route once, whatever ids it carries', () => {
    expect(routeLabel('/api/stores/cmbz1x2y3000008l4abcd1234/test?x=1')).toBe('/api/stores/:id/test');
    expect(routeLabel('/_next/static/chunks/app.js')).toBe('/_next');
  });
});

describe('a stop that reaches its bound', () => {
  it('releases the lease of the message still being sent, so another process takes it at once', async () => {
    const from = 'helpdesk@example.com';
    const peer = await startSmtpPeer({ users: { [from]: 'bound-password' }, dataDelayMs: 3_000 });
    process.env.SMTP_ALLOWED_PORTS = `587,${peer.port}`;
    resetEnvCache();
    try {
      const store = await createStore({ name: 'Bound', type: 'other' }, 'ann@example.com');
      const values = notificationsInput({
        smtp: { host: '127.0.0.1', port: peer.port, securityMode: 'starttls', allowSelfSigned: true, fromAddress: from },
        auth: { smtpUsername: from, smtpPassword: { mode: 'set', value: 'bound-password' } },
      });
      await saveNotificationSettings(store.id, notificationsSchema.parse(values), 'ann@example.com');
      const bounded = await startTestWorker();
      const q = await enqueue(
        store.id,
        { kind: 'notification', source: 'test' },
        { from: { address: from }, to: ['jane@example.org'], subject: 'Cut off', text: 'x' },
      );
      await until(() => peer.commands.includes('DATA'), 'the send to reach DATA');
      expect(await bounded.stop(100)).toEqual({ unfinished: 1 });
      const row = await db.outboxMessage.findUniqueOrThrow({ where: { id: q.id } });
      expect(row.state).toBe('sending');
      expect(row.leaseUntil?.getTime()).toBe(0);
      // The cut-off send still finishes in this test process (a stopping process exits instead).
      await until(async () => (await db.outboxMessage.findUniqueOrThrow({ where: { id: q.id } })).state === 'sent', 'the send');
    } finally {
      await peer.close();
    }
  });
});

describe('readiness', () => {
  beforeAll(async () => {
    worker = await startTestWorker();
  });

  it('is ready with a live worker, and not while a component is not', async () => {
    const r = await ready();
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.workers.running).toBe(1);
    expect(r.body.components.outbox.ready).toBe(true);

    const remove = registerComponent({ name: 'listener', status: () => ({ ready: false }), stop: async () => undefined });
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body.reasons).toContain('The listener component is not ready.');
    remove();
    expect((await ready()).status).toBe(200);
  });

  it('turns 503 once the process is stopping, and the stopped worker no longer counts', async () => {
    const summary = await stopComponents(5_000);
    expect(summary).toEqual({ outbox: { unfinished: 0 } });
    worker = undefined;
    const r = await ready();
    expect(r.status).toBe(503);
    expect(r.body.reasons).toEqual([
      'This process is stopping.',
      'No outbox worker has a recent heartbeat: queued messages are not being sent.',
    ]);
  });
});
