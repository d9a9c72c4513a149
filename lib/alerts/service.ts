/** Alert settings and channels as admins change them, and the test alert. */
import { randomUUID } from 'node:crypto';
import { CHANNEL_SELECT, consoleAlertsUrl, notifyChannels } from '@/lib/alerts/engine';
import { ALERT_SETTINGS_ID, type AlertSettingsValues } from '@/lib/alerts/settings';
import { sealSecret } from '@/lib/crypto';
import { db } from '@/lib/db';
import { ConflictError, NotFoundError } from '@/lib/errors';
import type { AlertChannelValues } from '@/lib/validation/alerts';

export async function saveAlertSettings(
  values: AlertSettingsValues & { version: number },
  actorEmail: string,
): Promise<{ version: number }> {
  const { version, ...data } = values;
  return db.$transaction(async (tx) => {
    const row = await tx.alertSettings.findUnique({ where: { id: ALERT_SETTINGS_ID }, select: { version: true } });
    if ((row?.version ?? 0) !== version)
      throw new ConflictError('Another admin saved the alert settings meanwhile. Reload the page to see their changes.');
    const saved = await tx.alertSettings.upsert({
      where: { id: ALERT_SETTINGS_ID },
      create: { id: ALERT_SETTINGS_ID, ...data, version: 1, updatedBy: actorEmail },
      update: { ...data, version: { increment: 1 }, updatedBy: actorEmail },
      select: { version: true },
    });
    return saved;
  });
}

async function storeExists(id: string, field: string): Promise<void> {
  const found = await db.identityStore.findUnique({ where: { id }, select: { id: true } });
  if (!found) throw new NotFoundError('That identity store no longer exists. Reload the page.', field);
}

/** A new channel; its webhook URL and signing secret are encrypted before they are stored. */
export async function createChannel(v: AlertChannelValues, actorEmail: string): Promise<{ id: string; name: string }> {
  const id = randomUUID();
  const email = v.kind === 'email';
  if (email) {
    await storeExists(v.storeId, 'storeId');
    if (v.fallbackStoreId) await storeExists(v.fallbackStoreId, 'fallbackStoreId');
  }
  return db.alertChannel.create({
    data: {
      id,
      name: v.name,
      kind: v.kind,
      createdBy: actorEmail,
      ...(email
        ? { recipients: v.recipients, storeId: v.storeId, fallbackStoreId: v.fallbackStoreId || null }
        : {
            urlEnc: sealSecret(id, 'url', v.url),
            urlHost: new URL(v.url).host,
            ...(v.kind === 'webhook' && { signingSecretEnc: sealSecret(id, 'signingSecret', v.signingSecret.trim()) }),
          }),
    },
    select: { id: true, name: true },
  });
}

export async function deleteChannel(id: string): Promise<{ name: string }> {
  const found = await db.alertChannel.findUnique({ where: { id }, select: { name: true } });
  if (!found) throw new NotFoundError('That channel was already removed.');
  await db.alertChannel.delete({ where: { id } });
  return found;
}

/** Sends a test notice on one channel and records it in the history. */
export async function sendTestAlert(id: string, actorEmail: string, now = new Date()) {
  const channel = await db.alertChannel.findUnique({
    where: { id },
    select: CHANNEL_SELECT,
  });
  if (!channel) throw new NotFoundError('That channel no longer exists. Reload the page.');
  const [result] = await notifyChannels(
    [channel],
    {
      event: 'test',
      alertId: null,
      condition: 'test',
      severity: 'warning',
      title: 'Test alert from Mailroom',
      detail: `${actorEmail} sent this test from the Alerts page.`,
      storeId: null,
      storeName: '',
      startedAt: now,
      resolvedAt: null,
      sentAt: now,
      consoleUrl: consoleAlertsUrl(),
    },
    { actorEmail },
  );
  return { name: channel.name, ok: result.ok, outcome: result.outcome };
}
