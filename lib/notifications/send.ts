/**
 * Notifications from other systems (POST /api/v1/notifications): a message for the store's saved
 * profile, to the addresses given or to the store's own To / CC recipients, queued in the outbox.
 * The worker delivers it; the caller learns the outcome from the status URL (or waits for it).
 */
import type { ApiCaller } from '@/lib/api-keys/service';
import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { NotFoundError, NotReadyError, RateLimitedError } from '@/lib/errors';
import { enqueue, type Enqueued } from '@/lib/outbox/enqueue';
import { storeReadiness } from '@/lib/outbox/readiness';
import { formatRetry, take } from '@/lib/rate-limit';
import type { SendNotificationValues } from '@/lib/validation/send';

export type QueuedNotification = Enqueued & { to: string[]; cc: string[]; paused?: string };

const split = (list: string) =>
  list
    .split(/[;,]/)
    .map((a) => a.trim())
    .filter(Boolean);

export const apiSource = (caller: Pick<ApiCaller, 'name' | 'prefix'>) => `API key “${caller.name}” (${caller.prefix}…)`;

export async function queueNotification(
  caller: ApiCaller,
  input: SendNotificationValues,
  clientAddress = '',
): Promise<QueuedNotification> {
  const perMinute = getEnv().SEND_API_PER_MINUTE;
  const limit = await take('send-api', caller.keyId, perMinute, 60);
  if (!limit.allowed) {
    throw new RateLimitedError(
      `This key sent ${perMinute} notifications in the last minute. Wait ${formatRetry(limit.retryAfterSeconds)}.`,
      limit.retryAfterSeconds,
    );
  }
  const ready = await storeReadiness(caller.storeId);
  if (!ready.ok) throw new NotReadyError(`${ready.reason} Nothing was queued.`);

  // The schema refuses "cc" without "to"; without either, the store's Recipients section decides.
  let to = input.to ?? [];
  let cc = input.cc ?? [];
  if (!to.length) {
    const saved = await db.notificationProfile.findUnique({
      where: { storeId: caller.storeId },
      select: { toAddresses: true, ccAddresses: true },
    });
    if (!saved) throw new NotFoundError('The identity store of this key no longer exists.');
    to = split(saved.toAddresses);
    cc = split(saved.ccAddresses);
    if (!to.length)
      throw new NotReadyError('No recipients: give "to", or set To under Recipients on the store\'s Notifications page.', 'to');
  }

  const queued = await enqueue(
    caller.storeId,
    { kind: 'notification', source: apiSource(caller), apiKeyId: caller.keyId, clientAddress },
    { from: ready.from, to, cc, subject: input.subject, text: input.text, ...(input.html && { html: input.html }) },
  );
  return { ...queued, to, cc, ...(ready.paused && { paused: ready.paused }) };
}
