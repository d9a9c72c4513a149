/**
 * Sending one notice on one channel. Email goes straight through a store's send engine (not the
 * outbox): the outbox holds a store's queue while it needs reconnecting, which is exactly when
 * its alert must go out, and only a send whose outcome is known here can fall back to the second
 * store. Webhooks are POSTed through the destination policy (lib/net/fetch.ts).
 */
import { openSecret } from '@/lib/crypto';
import { db } from '@/lib/db';
import { STEP_LABELS, type StepName } from '@/lib/mail/types';
import { deliver, logDelivery } from '@/lib/notifications/deliver';
import type { OAuthTokenSource } from '@/lib/notifications/send-profile';
import { outboundFetch, policyRefusal } from '@/lib/net/fetch';
import { getAccessToken } from '@/lib/oauth/connection';
import {
  genericPayload,
  noticeSubject,
  noticeText,
  signPayload,
  slackPayload,
  teamsPayload,
  type AlertNoticeContent,
} from '@/lib/alerts/message';

export const SIGNATURE_HEADER = 'X-Mailroom-Signature';
export const TIMESTAMP_HEADER = 'X-Mailroom-Timestamp';
const WEBHOOK_TIMEOUT_MS = 10_000;

export type ChannelRow = {
  id: string;
  name: string;
  kind: string;
  recipients: string;
  storeId: string | null;
  fallbackStoreId: string | null;
  urlEnc: string | null;
  signingSecretEnc: string | null;
};

export type NoticeOutcome = { ok: boolean; outcome: string };

export type SendOptions = { tokenSource?: OAuthTokenSource };

export function sendNotice(channel: ChannelRow, n: AlertNoticeContent, opts: SendOptions = {}): Promise<NoticeOutcome> {
  return channel.kind === 'email' ? sendEmail(channel, n, opts) : sendWebhook(channel, n);
}

const recipientsOf = (list: string) =>
  list
    .split(/[;,]/)
    .map((a) => a.trim())
    .filter(Boolean);

async function storeName(storeId: string): Promise<string> {
  const s = await db.identityStore.findUnique({ where: { id: storeId }, select: { name: true } });
  return s?.name ?? 'a deleted store';
}

/** The alert store first, unless the alert is about that store: then the fallback store first. */
export function storeOrder(
  channel: Pick<ChannelRow, 'storeId' | 'fallbackStoreId'>,
  n: Pick<AlertNoticeContent, 'event' | 'storeId'>,
) {
  const stores = [channel.storeId, channel.fallbackStoreId].filter((s, i, all): s is string => !!s && all.indexOf(s) === i);
  const aboutFirst = n.event !== 'resolved' && n.event !== 'test' && !!n.storeId && n.storeId === channel.storeId;
  return aboutFirst ? [...stores.slice(1), stores[0]].filter((s): s is string => !!s) : stores;
}

async function sendEmail(channel: ChannelRow, n: AlertNoticeContent, opts: SendOptions): Promise<NoticeOutcome> {
  const to = recipientsOf(channel.recipients);
  const failures: string[] = [];
  for (const storeId of storeOrder(channel, n)) {
    const name = await storeName(storeId);
    try {
      const { profile, message, result } = await deliver(
        storeId,
        (p) => ({ from: p.from, to, subject: noticeSubject(n), text: noticeText(n) }),
        { tokenSource: opts.tokenSource ?? ((profileId) => getAccessToken(profileId)) },
      );
      await logDelivery({
        storeId,
        kind: 'alert',
        transport: profile.transport,
        actorEmail: '',
        recipients: to,
        subject: message.subject,
        result,
      });
      if (result.ok) {
        const via = failures.length ? `Sent through “${name}” after ${failures.join('; ')}` : `Sent through “${name}”`;
        return { ok: true, outcome: `${via} to ${to.join(', ')}.` };
      }
      const step = STEP_LABELS[result.failedStep as StepName] ?? result.failedStep ?? 'send';
      const reply = result.reply ? ` (${[result.reply.code, result.reply.text].filter(Boolean).join(' ')})` : '';
      failures.push(`“${name}” failed at ${step}${reply}`);
    } catch (err) {
      failures.push(`“${name}” could not send: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (!failures.length) return { ok: false, outcome: 'No store is chosen to send alert emails through.' };
  return { ok: false, outcome: `Not sent: ${failures.join('; ')}.` };
}

function webhookBody(kind: string, n: AlertNoticeContent): unknown {
  if (kind === 'teams') return teamsPayload(n);
  if (kind === 'slack') return slackPayload(n);
  return genericPayload(n);
}

async function sendWebhook(channel: ChannelRow, n: AlertNoticeContent): Promise<NoticeOutcome> {
  if (!channel.urlEnc) return { ok: false, outcome: 'No webhook URL is stored for this channel.' };
  const url = openSecret(channel.id, 'url', channel.urlEnc);
  const body = JSON.stringify(webhookBody(channel.kind, n));
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'Mailroom-Alerts' };
  if (channel.kind === 'webhook' && channel.signingSecretEnc) {
    const timestamp = String(Math.floor(n.sentAt.getTime() / 1000));
    headers[TIMESTAMP_HEADER] = timestamp;
    headers[SIGNATURE_HEADER] = signPayload(openSecret(channel.id, 'signingSecret', channel.signingSecretEnc), timestamp, body);
  }
  const host = new URL(url).host;
  try {
    // A redirect could carry the signed body to another host: a webhook answers where it is posted.
    const res = await outboundFetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await res.body?.cancel();
    if (res.ok) return { ok: true, outcome: `Delivered to ${host} (HTTP ${res.status}).` };
    return { ok: false, outcome: `${host} answered HTTP ${res.status} ${res.statusText}`.trim() + '.' };
  } catch (err) {
    const refused = policyRefusal(err);
    if (refused) return { ok: false, outcome: `Not sent: ${refused.message}` };
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : '';
    const reason = err instanceof Error ? err.message : String(err);
    return { ok: false, outcome: `Could not reach ${host}: ${cause || reason}.` };
  }
}
