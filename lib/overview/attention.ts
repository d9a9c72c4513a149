/**
 * What on each store needs an admin before a notification fails: settings not entered, an OAuth
 * connection to redo, a client secret about to expire, a last send that failed. Pure, for tests.
 */
import { STEP_LABELS, type StepName } from '@/lib/mail/types';
import { daysBetween, formatUtc } from '@/lib/format';

const SECRET_WARNING_DAYS = 30;

export type StoreHealth = {
  storeId: string;
  storeName: string;
  transport: string;
  host: string;
  fromAddress: string;
  useAuth: boolean;
  authType: string;
  credentialType: string;
  oauthStatus: string;
  oauthErrorCode: string;
  clientSecretExpiresAt: Date | null;
  lastDelivery: {
    ok: boolean;
    kind: string;
    failedStep: string;
    replyCode: number | null;
    replyText: string;
    createdAt: Date;
  } | null;
};

export type AttentionItem = {
  storeId: string;
  storeName: string;
  severity: 'error' | 'warning';
  title: string;
  detail: string;
  href: string;
};

export function attentionFor(s: StoreHealth, now = new Date()): AttentionItem[] {
  const items: AttentionItem[] = [];
  const add = (severity: AttentionItem['severity'], title: string, detail: string, tab = 'notifications') =>
    items.push({ storeId: s.storeId, storeName: s.storeName, severity, title, detail, href: `/stores/${s.storeId}/${tab}` });

  const graph = s.transport === 'graph';
  if ((!graph && !s.host) || !s.fromAddress) {
    add(
      'warning',
      'Not set up yet',
      graph ? 'Enter the From address and save.' : 'Enter the SMTP server and the From address, save, and use Test Server.',
    );
    return items;
  }
  if (graph || (s.useAuth && s.authType === 'oauth2')) {
    if (s.oauthStatus === 'needs_reconnect' || s.oauthStatus === 'error') {
      add(
        'error',
        'OAuth needs reconnecting',
        `${s.oauthErrorCode ? `${s.oauthErrorCode}: ` : ''}notifications cannot be sent until an admin clicks Reconnect and signs in.`,
      );
    } else if (s.oauthStatus === 'not_connected') {
      add('warning', 'OAuth not connected', 'Click Connect on the Notifications page to get a token.');
    }
    if (s.credentialType === 'secret' && s.clientSecretExpiresAt) {
      const days = daysBetween(now, s.clientSecretExpiresAt);
      const date = formatUtc(s.clientSecretExpiresAt, 'day');
      if (days < 0)
        add(
          'error',
          'Client secret expired',
          `It expired on ${date}: create a new secret in the app registration and paste its Value.`,
        );
      else if (days <= SECRET_WARNING_DAYS)
        add(
          'warning',
          `Client secret expires in ${days} day${days === 1 ? '' : 's'}`,
          `On ${date}: create a new secret in the app registration before then.`,
        );
    }
  }
  const last = s.lastDelivery;
  if (last && !last.ok) {
    const step = STEP_LABELS[last.failedStep as StepName] ?? last.failedStep;
    const reply = [last.replyCode, last.replyText].filter(Boolean).join(' ');
    add(
      'error',
      `Last ${last.kind === 'notification' ? 'notification' : last.kind === 'relay' ? 'relayed message' : 'test'} failed at ${step}`,
      reply || 'See the Delivery log for the reason.',
      'delivery-log',
    );
  }
  return items;
}
