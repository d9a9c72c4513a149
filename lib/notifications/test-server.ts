import { recordAudit } from '@/lib/audit';
import type { CurrentUser } from '@/lib/auth/roles';
import { getEnv } from '@/lib/env';
import { RateLimitedError, UserFacingError } from '@/lib/errors';
import type { OutgoingMessage, SendResult } from '@/lib/mail/types';
import { formatRetry, take } from '@/lib/rate-limit';
import { emailAddress } from '@/lib/validation/primitives';
import { deliver, logDelivery, type DeliverOptions } from '@/lib/notifications/deliver';
import type { SendProfile } from '@/lib/notifications/send-profile';
import { formatUtc } from '@/lib/format';

function testMessage(p: SendProfile, to: string, actorEmail: string, now = new Date()): OutgoingMessage {
  const t = p.target;
  return {
    from: p.from,
    to,
    subject: `Mailroom test — ${p.storeName}`,
    text: [
      'This is a test message from Mailroom.',
      '',
      `If you can read it, the notification settings of the identity store "${p.storeName}" can deliver mail.`,
      '',
      `  Profile:         ${p.storeName} — Notifications`,
      p.graph
        ? `  Graph endpoint:  ${p.graph.endpoint} (sendMail as ${p.graph.sender})`
        : `  SMTP server:     ${t.host}:${t.port}`,
      `  Security:        ${p.securityLabel}`,
      `  Authentication:  ${p.authLabel}`,
      `  Sent by:         ${actorEmail}`,
      `  Sent at:         ${formatUtc(now, 'second')}`,
      '',
      'No action is needed.',
    ].join('\n'),
  };
}

type TestOptions = DeliverOptions & { ip?: string };

/**
 * Test Server: sends a real email through the saved profile, then records the outcome in the
 * store's delivery log and the activity log. Never reports success unless the server accepted DATA.
 */
export async function testStore(
  storeId: string,
  recipient: string,
  actor: Pick<CurrentUser, 'id' | 'email'>,
  opts: TestOptions = {},
): Promise<SendResult> {
  const to = emailAddress('Recipient').safeParse(recipient);
  if (!to.success) throw new UserFacingError(to.error.issues[0]?.message ?? 'Enter a valid email address.', 'to');

  const perMinute = getEnv().TEST_SERVER_PER_MINUTE;
  const limit = await take('test-server', actor.id, perMinute, 60);
  if (!limit.allowed) {
    throw new RateLimitedError(
      `You sent ${perMinute} tests in the last minute. Wait ${formatRetry(limit.retryAfterSeconds)} and try again.`,
      limit.retryAfterSeconds,
    );
  }

  const { profile, message, result } = await deliver(storeId, (p) => testMessage(p, to.data, actor.email), opts);
  await logDelivery({
    storeId,
    kind: 'test',
    transport: profile.transport,
    actorEmail: actor.email,
    recipients: [to.data],
    subject: message.subject,
    result,
  });
  await recordAudit({
    actor,
    action: 'notifications.test',
    target: profile.storeName,
    details: {
      recipient: to.data,
      result: result.ok ? 'delivered' : `failed at ${result.failedStep}`,
      reply: result.reply ? `${result.reply.code ?? ''} ${result.reply.enhanced ?? ''}`.trim() : undefined,
      ms: Math.round(result.durationMs),
    },
    ip: opts.ip,
  });
  return result;
}
