/**
 * One send through a store's saved profile, shared by Test Server and the send API: pick the
 * engine (SMTP or Microsoft Graph), keep the OAuth failure's advice, and write the delivery log.
 */
import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { sendViaGraph } from '@/lib/mail/graph/send';
import { httpPolicyFromEnv, policyFromEnv } from '@/lib/net/policy';
import { sendViaSmtp } from '@/lib/mail/smtp-send';
import type { Advice, Step, OutgoingMessage, SendResult } from '@/lib/mail/types';
import { loadSendProfile, type OAuthTokenSource, type SendProfile } from '@/lib/notifications/send-profile';

export type DeliverOptions = { onStep?: (step: Step) => void; tokenSource?: OAuthTokenSource };

export async function deliver(
  storeId: string,
  build: (profile: SendProfile) => OutgoingMessage,
  opts: DeliverOptions = {},
): Promise<{ profile: SendProfile; message: OutgoingMessage; result: SendResult }> {
  // Keep the OAuth failure so its advice (AADSTS…) replaces the generic "no token" one.
  let tokenFailure: { advice?: Advice } | undefined;
  const source = opts.tokenSource;
  const tokenSource = source
    ? (profileId: string) =>
        source(profileId).catch((err: unknown) => {
          tokenFailure = err as typeof tokenFailure;
          throw err;
        })
    : undefined;
  const profile = await loadSendProfile(storeId, tokenSource);
  const message = build(profile);
  const auth = profile.auth;
  const result =
    profile.graph && auth.type === 'oauth2'
      ? await sendViaGraph(profile.graph, auth.accessToken, message, { policy: httpPolicyFromEnv(getEnv()), onStep: opts.onStep })
      : await sendViaSmtp(profile.target, auth, message, { policy: policyFromEnv(getEnv()), onStep: opts.onStep });
  if (!result.ok && result.failedStep === 'token' && tokenFailure?.advice) result.advice = tokenFailure.advice;
  return { profile, message, result };
}

export async function logDelivery(entry: {
  storeId: string;
  kind: 'test' | 'notification' | 'alert';
  transport: string;
  actorEmail: string;
  recipients: string[];
  subject: string;
  result: SendResult;
}): Promise<void> {
  const { result } = entry;
  await db.deliveryLog.create({
    data: {
      storeId: entry.storeId,
      kind: entry.kind,
      transport: entry.transport,
      actorEmail: entry.actorEmail,
      recipient: entry.recipients.join('; ').slice(0, 4000),
      subject: entry.subject.slice(0, 998),
      ok: result.ok,
      failedStep: result.failedStep ?? '',
      replyCode: result.reply?.code ?? null,
      // The enhanced status (5.7.3, 5.7.139 …) decides the advice: keep it with the text.
      replyText: [result.reply?.enhanced, result.reply?.text].filter(Boolean).join(' ').slice(0, 1000),
      adviceId: result.advice?.id ?? '',
      messageId: result.messageId ?? '',
      queueId: result.queueId ?? '',
      durationMs: Math.round(result.durationMs),
    },
  });
}
