/** One alert notice as every channel renders it: the email text and the three webhook payloads. */
import { createHmac } from 'node:crypto';
import { formatUtc } from '@/lib/format';

export type NoticeEvent = 'fired' | 'repeat' | 'resolved' | 'test';

export type AlertNoticeContent = {
  event: NoticeEvent;
  alertId: string | null;
  condition: string;
  severity: string;
  title: string;
  detail: string;
  storeId: string | null;
  storeName: string;
  startedAt: Date;
  resolvedAt: Date | null;
  sentAt: Date;
  /** the console's Alerts page */
  consoleUrl: string;
};

const PREFIX: Record<NoticeEvent, string> = { fired: 'Alert', repeat: 'Still failing', resolved: 'Resolved', test: 'Test alert' };

export const noticeSubject = (n: AlertNoticeContent) => `[Mailroom] ${PREFIX[n.event]}: ${n.title}`;

function summary(n: AlertNoticeContent): string {
  if (n.event === 'resolved') return `This is over since ${formatUtc(n.resolvedAt ?? n.sentAt)}.`;
  if (n.event === 'repeat') return `This has lasted since ${formatUtc(n.startedAt)}.`;
  if (n.event === 'test') return 'An admin sent this test from the Alerts page: this channel works.';
  return n.detail;
}

export function noticeText(n: AlertNoticeContent): string {
  return [
    n.title,
    '',
    summary(n),
    ...(n.event === 'repeat' ? ['', n.detail] : []),
    '',
    ...(n.storeName ? [`  Identity store: ${n.storeName}`] : []),
    `  Started:        ${formatUtc(n.startedAt)}`,
    ...(n.resolvedAt ? [`  Resolved:       ${formatUtc(n.resolvedAt)}`] : []),
    `  Alerts:         ${n.consoleUrl}`,
    '',
    'Sent by Mailroom. Admins change alert channels and thresholds on the Alerts page.',
  ].join('\n');
}

/** The generic webhook body: stable field names for scripts and monitoring systems. */
export function genericPayload(n: AlertNoticeContent) {
  return {
    type: 'mailroom.alert',
    event: n.event,
    alert: {
      id: n.alertId,
      condition: n.condition,
      severity: n.severity,
      title: n.title,
      detail: n.detail,
      store: n.storeId || n.storeName ? { id: n.storeId, name: n.storeName } : null,
      startedAt: n.startedAt.toISOString(),
      resolvedAt: n.resolvedAt?.toISOString() ?? null,
    },
    sentAt: n.sentAt.toISOString(),
    url: n.consoleUrl,
  };
}

const COLOR: Record<string, string> = { error: 'Attention', warning: 'Warning' };

/** An Adaptive Card in the message envelope that the Teams Workflows "webhook request received" flow posts. */
export function teamsPayload(n: AlertNoticeContent) {
  const facts = [
    ...(n.storeName ? [{ title: 'Identity store', value: n.storeName }] : []),
    { title: 'Started', value: formatUtc(n.startedAt) },
    ...(n.resolvedAt ? [{ title: 'Resolved', value: formatUtc(n.resolvedAt) }] : []),
  ];
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              text: `${PREFIX[n.event]}: ${n.title}`,
              weight: 'Bolder',
              size: 'Medium',
              wrap: true,
              color: n.event === 'resolved' || n.event === 'test' ? 'Good' : (COLOR[n.severity] ?? 'Default'),
            },
            { type: 'TextBlock', text: summary(n), wrap: true },
            ...(n.event === 'repeat' ? [{ type: 'TextBlock', text: n.detail, wrap: true }] : []),
            { type: 'FactSet', facts },
          ],
          actions: [{ type: 'Action.OpenUrl', title: 'Open Alerts in Mailroom', url: n.consoleUrl }],
        },
      },
    ],
  };
}

/** Slack's mrkdwn treats &, < and > as markup. */
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A Slack incoming-webhook message: `text` for notifications, blocks for the channel. */
export function slackPayload(n: AlertNoticeContent) {
  const heading = `${PREFIX[n.event]}: ${n.title}`;
  const context = [n.storeName && `Identity store: ${n.storeName}`, `Started ${formatUtc(n.startedAt)}`]
    .filter(Boolean)
    .join(' · ');
  return {
    text: slackEscape(heading),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: heading.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: slackEscape(summary(n)) } },
      ...(n.event === 'repeat' ? [{ type: 'section', text: { type: 'mrkdwn', text: slackEscape(n.detail) } }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${slackEscape(context)} · <${n.consoleUrl}|Alerts>` }] },
    ],
  };
}

/** `sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<body>` (docs/security.md#alert-webhooks). */
export function signPayload(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
