/**
 * One evaluation of every condition on every store (a periodic job, once across processes), and
 * the notices it sends: each step is written to the alert history and the activity log.
 */
import { recordAudit, type AuditAction } from '@/lib/audit';
import { sendNotice, type ChannelRow, type SendOptions } from '@/lib/alerts/channels';
import { evaluateRelayCertificates, evaluateStore, type ActiveCondition } from '@/lib/alerts/conditions';
import { loadStoreFacts } from '@/lib/alerts/facts';
import type { AlertNoticeContent, NoticeEvent } from '@/lib/alerts/message';
import { planAlerts, type OpenAlert, type PlannedStep } from '@/lib/alerts/plan';
import { getAlertSettings } from '@/lib/alerts/settings';
import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/log';
import { relayCertificatesInUse } from '@/lib/relay/certificate-record';

/** How the activity log names the alerting itself as the actor. */
export const ALERTS_ACTOR = 'Mailroom alerts';

export const CHANNEL_SELECT = {
  id: true,
  name: true,
  kind: true,
  recipients: true,
  storeId: true,
  fallbackStoreId: true,
  urlEnc: true,
  signingSecretEnc: true,
} as const;

const OPEN_SELECT = {
  id: true,
  key: true,
  stage: true,
  title: true,
  storeName: true,
  severity: true,
  detail: true,
  condition: true,
  storeId: true,
  lastNotifiedAt: true,
  startedAt: true,
} as const;

export const consoleAlertsUrl = () => `${getEnv().APP_URL}/alerts`;

export type CheckOptions = SendOptions & { now?: Date };
export type CheckSummary = { fired: number; repeated: number; resolved: number };

/** Sends `content` on every channel (or records that there is none) and writes one notice per channel. */
export async function notifyChannels(
  channels: ChannelRow[],
  content: AlertNoticeContent,
  opts: SendOptions & { actorEmail?: string } = {},
): Promise<{ channel: string; ok: boolean; outcome: string }[]> {
  const results = channels.length
    ? await Promise.all(channels.map(async (c) => ({ channel: c, ...(await sendNotice(c, content, opts)) })))
    : [{ channel: null, ok: false, outcome: 'No alert channel is set up: add one on the Alerts page.' }];
  await db.alertNotice.createMany({
    data: results.map((r) => ({
      alertId: content.alertId,
      channelId: r.channel?.id ?? null,
      channelName: r.channel?.name ?? '',
      event: content.event,
      title: content.title,
      storeName: content.storeName,
      ok: r.ok,
      outcome: r.outcome.slice(0, 2000),
      createdAt: content.sentAt,
      actorEmail: opts.actorEmail ?? '',
    })),
  });
  return results.map((r) => ({ channel: r.channel?.name ?? '', ok: r.ok, outcome: r.outcome }));
}

export const enabledChannels = () =>
  db.alertChannel.findMany({ where: { enabled: true }, orderBy: { createdAt: 'asc' }, select: CHANNEL_SELECT });

const AUDIT: Record<Exclude<NoticeEvent, 'test'>, AuditAction> = {
  fired: 'alert.fired',
  repeat: 'alert.repeat',
  resolved: 'alert.resolved',
};

async function apply(step: PlannedStep, channels: ChannelRow[], now: Date, opts: SendOptions): Promise<void> {
  let alert: OpenAlert & { startedAt: Date };
  let resolvedAt: Date | null = null;
  const describe = (c: ActiveCondition) => ({
    condition: c.condition,
    storeId: c.storeId,
    storeName: c.storeName,
    severity: c.severity,
    stage: c.stage,
    title: c.title,
    detail: c.detail,
  });
  if (step.event === 'fired' && !step.replaces) {
    alert = await db.alert.create({
      data: { key: step.condition.key, ...describe(step.condition), startedAt: now, lastNotifiedAt: now },
      select: OPEN_SELECT,
    });
  } else if (step.event === 'resolved') {
    resolvedAt = now;
    alert = await db.alert.update({ where: { id: step.alert.id }, data: { resolvedAt: now }, select: OPEN_SELECT });
  } else {
    const id = step.event === 'fired' ? step.replaces!.id : step.alert.id;
    alert = await db.alert.update({
      where: { id },
      data: { ...describe(step.condition), lastNotifiedAt: now },
      select: OPEN_SELECT,
    });
  }
  const results = await notifyChannels(
    channels,
    {
      event: step.event,
      alertId: alert.id,
      condition: alert.condition,
      severity: alert.severity,
      title: alert.title,
      detail: alert.detail,
      storeId: alert.storeId,
      storeName: alert.storeName,
      startedAt: alert.startedAt,
      resolvedAt,
      sentAt: now,
      consoleUrl: consoleAlertsUrl(),
    },
    opts,
  );
  await recordAudit({
    actorEmail: ALERTS_ACTOR,
    action: AUDIT[step.event],
    // The relay's certificate belongs to no store.
    target: alert.storeName || 'SMTP relay',
    details: {
      alert: alert.title,
      alertId: alert.id,
      channels: results.map((r) => `${r.channel || 'none'}: ${r.ok ? 'sent' : 'not sent'}`).join('; '),
    },
  });
}

export async function runAlertCheck(opts: CheckOptions = {}): Promise<CheckSummary> {
  const now = opts.now ?? new Date();
  const summary: CheckSummary = { fired: 0, repeated: 0, resolved: 0 };
  const settings = await getAlertSettings();
  if (!settings.enabled) return summary;
  const [facts, certificates] = await Promise.all([loadStoreFacts(settings, now), relayCertificatesInUse(now)]);
  const active = [...facts.flatMap((f) => evaluateStore(f, settings, now)), ...evaluateRelayCertificates(certificates, now)];
  const open = await db.alert.findMany({ where: { resolvedAt: null }, select: OPEN_SELECT });
  const steps = planAlerts(open, active, settings.repeatMinutes, now);
  if (!steps.length) return summary;
  const channels = await enabledChannels();
  for (const step of steps) {
    try {
      await apply(step, channels, now, opts);
      if (step.event === 'fired') summary.fired += 1;
      else if (step.event === 'repeat') summary.repeated += 1;
      else summary.resolved += 1;
    } catch (err) {
      logger.warn({ err: err instanceof Error ? err.message : String(err), event: step.event }, 'alert step failed');
    }
  }
  return summary;
}
