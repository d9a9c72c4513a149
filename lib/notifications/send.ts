/**
 * Notifications from other systems (POST /api/v1/notifications): a message through the store's
 * saved profile, to the addresses given or to the store's own To / CC recipients.
 */
import type { ApiCaller } from '@/lib/api-keys/service';
import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { NotFoundError, NotReadyError, RateLimitedError } from '@/lib/errors';
import type { SendResult } from '@/lib/mail/types';
import { formatRetry, take } from '@/lib/rate-limit';
import type { SendNotificationValues } from '@/lib/validation/send';
import { deliver, logDelivery, type DeliverOptions } from '@/lib/notifications/deliver';

type SendOutcome = { storeName: string; to: string[]; cc: string[]; result: SendResult };

const split = (list: string) =>
  list
    .split(/[;,]/)
    .map((a) => a.trim())
    .filter(Boolean);

export async function sendNotification(
  caller: ApiCaller,
  input: SendNotificationValues,
  opts: Pick<DeliverOptions, 'tokenSource'> = {},
): Promise<SendOutcome> {
  const perMinute = getEnv().SEND_API_PER_MINUTE;
  const limit = await take('send-api', caller.keyId, perMinute, 60);
  if (!limit.allowed) {
    throw new RateLimitedError(
      `This key sent ${perMinute} notifications in the last minute. Wait ${formatRetry(limit.retryAfterSeconds)}.`,
      limit.retryAfterSeconds,
    );
  }

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

  const { profile, result } = await deliver(
    caller.storeId,
    (p) => ({ from: p.from, to, cc, subject: input.subject, text: input.text, ...(input.html && { html: input.html }) }),
    opts,
  );
  await logDelivery({
    storeId: caller.storeId,
    kind: 'notification',
    transport: profile.transport,
    actorEmail: `API key “${caller.name}” (${caller.prefix}…)`,
    recipients: [...to, ...cc],
    subject: input.subject,
    result,
  });
  return { storeName: profile.storeName, to, cc, result };
}
