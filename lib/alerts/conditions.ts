/**
 * The alert conditions, evaluated per store from facts read at one moment (`now`). Pure, so a test
 * moves the clock instead of waiting for it.
 */
import { daysBetween, formatUtc } from '@/lib/format';
import type { RelayCertificateInUse } from '@/lib/relay/certificate-record';

export const CONDITIONS = [
  'oauth_reconnect',
  'credential_expiry',
  'token_idle',
  'keepalive_failed',
  'send_failures',
  'queue_backlog',
  'queue_age',
  'relay_certificate',
] as const;
export type Condition = (typeof CONDITIONS)[number];

export const CONDITION_LABELS: Record<Condition, string> = {
  oauth_reconnect: 'OAuth connection needs reconnecting',
  credential_expiry: 'Client secret or certificate expires',
  token_idle: 'Refresh token unused',
  keepalive_failed: 'Token keep-alive failed',
  send_failures: 'Notifications failing',
  queue_backlog: 'Queue backlog',
  queue_age: 'Oldest queued message too old',
  relay_certificate: 'Relay certificate expires',
};

/** Days before expiry at which the credential alert fires again, most distant first. */
export const EXPIRY_STAGES = [30, 7, 1] as const;
/** The failure rate is only judged on at least this many sends in the window. */
export const MIN_RATE_SAMPLE = 10;

export type Thresholds = {
  keepAliveDays: number;
  tokenIdleDays: number;
  failedInRow: number;
  failureRatePercent: number;
  failureWindowMinutes: number;
  backlogCount: number;
  oldestQueuedMinutes: number;
};

export type StoreFacts = {
  storeId: string;
  storeName: string;
  /** the store signs in with OAuth 2.0 (SMTP XOAUTH2 or Microsoft Graph) */
  usesOAuth: boolean;
  grantType: string;
  oauthStatus: string;
  oauthErrorCode: string;
  oauthError: string;
  credentialType: string;
  /** the client secret's (or certificate's) expiry as entered on the Notifications page */
  credentialExpiresAt: Date | null;
  hasRefreshToken: boolean;
  /** when the refresh token was last used (or issued) */
  refreshTokenUsedAt: Date | null;
  /** outcomes of the newest finished sends, newest first (tests excluded) */
  recentOutcomes: boolean[];
  /** finished sends within the failure window */
  windowSent: number;
  windowFailed: number;
  /** messages waiting (queued, sending, retrying) and the oldest one's creation */
  queued: number;
  oldestQueuedAt: Date | null;
};

export type ActiveCondition = {
  key: string;
  condition: Condition;
  /** null for what is not a store's (the relay's certificate) */
  storeId: string | null;
  storeName: string;
  severity: 'error' | 'warning';
  /** a change of stage is announced like a new alert (credential expiry: 30 → 7 → 1 → expired) */
  stage: string;
  title: string;
  detail: string;
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function ageText(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 120) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? plural(hours, 'hour') : plural(Math.floor(hours / 24), 'day');
}

/** Where an expiry date stands: null while it is more than 30 days away. */
function expiry(
  expiresAt: Date,
  now: Date,
): { stage: string; severity: ActiveCondition['severity']; when: string; date: string } | null {
  const days = daysBetween(now, expiresAt);
  const date = formatUtc(expiresAt, 'day');
  if (days < 0) return { stage: 'expired', severity: 'error', when: '', date };
  const stage = [...EXPIRY_STAGES].reverse().find((d) => days <= d);
  if (stage === undefined) return null;
  const when = days === 0 ? 'today' : `in ${plural(days, 'day')}`;
  return { stage: String(stage), severity: stage === 1 ? 'error' : 'warning', when, date };
}

/**
 * The relay's certificates (not a store's: one alert per certificate, however many processes
 * serve it), at the same stages as a client secret: 30, 7 and 1 days before, and expired.
 */
export function evaluateRelayCertificates(certs: Omit<RelayCertificateInUse, 'host'>[], now: Date): ActiveCondition[] {
  return certs.flatMap((c) => {
    const e = expiry(c.validTo, now);
    if (!e) return [];
    const where = `The relay at ${c.hostname}${c.ports ? ` (port ${c.ports})` : ''} presents ${c.subject || 'a certificate'}, SHA-256 ${c.fingerprint256}`;
    const fix =
      c.source === 'files'
        ? `Put the renewed certificate and key in the files RELAY_TLS_CERT_FILE and RELAY_TLS_KEY_FILE name (${c.certFile}) and restart Mailroom: the relay reads them when it starts.`
        : `It is the self-signed certificate Mailroom made (${c.certFile}); restart Mailroom to generate a new one, then give clients that pin the certificate the new fingerprint from the store's Relay tab.`;
    const after = e.stage === 'expired' ? 'Clients that check certificates refuse to send through it.' : '';
    return [
      {
        key: `relay_certificate:${c.fingerprint256}`,
        condition: 'relay_certificate' as const,
        storeId: null,
        storeName: '',
        severity: e.severity,
        stage: e.stage,
        title: e.stage === 'expired' ? 'Relay certificate expired' : `Relay certificate expires ${e.when}`,
        detail: `${where}, valid until ${e.date}. ${after ? `${after} ` : ''}${fix}`,
      },
    ];
  });
}

export function evaluateStore(s: StoreFacts, t: Thresholds, now: Date): ActiveCondition[] {
  const out: ActiveCondition[] = [];
  const add = (condition: Condition, severity: ActiveCondition['severity'], title: string, detail: string, stage = '') =>
    out.push({
      key: `${condition}:${s.storeId}`,
      condition,
      storeId: s.storeId,
      storeName: s.storeName,
      severity,
      stage,
      title,
      detail,
    });

  if (s.usesOAuth) {
    if (s.oauthStatus === 'needs_reconnect' || s.oauthStatus === 'error') {
      const code = s.oauthErrorCode ? `${s.oauthErrorCode}: ` : '';
      add(
        'oauth_reconnect',
        'error',
        `${s.storeName}: OAuth connection needs reconnecting`,
        `${code}${s.oauthError || 'the stored grant is no longer valid'}. Notifications through this store are held until an admin clicks Reconnect on its Notifications page and signs in.`,
      );
    }
    if (s.credentialExpiresAt) {
      const what = s.credentialType === 'certificate' ? 'certificate' : 'client secret';
      const e = expiry(s.credentialExpiresAt, now);
      if (e?.stage === 'expired') {
        add(
          'credential_expiry',
          'error',
          `${s.storeName}: ${what} expired`,
          `It expired on ${e.date}. Create a new ${what} in the app registration and enter it on the store's Notifications page.`,
          'expired',
        );
      } else if (e) {
        add(
          'credential_expiry',
          e.severity,
          `${s.storeName}: ${what} expires ${e.when}`,
          `On ${e.date}. Create a new ${what} in the app registration and enter it on the store's Notifications page before then.`,
          e.stage,
        );
      }
    }
    const refreshes = s.grantType !== 'client_credentials' && s.oauthStatus === 'connected' && s.hasRefreshToken;
    if (refreshes && s.refreshTokenUsedAt) {
      const idle = daysBetween(s.refreshTokenUsedAt, now);
      if (t.keepAliveDays > 0 && idle >= t.keepAliveDays && s.oauthErrorCode) {
        add(
          'keepalive_failed',
          'error',
          `${s.storeName}: token keep-alive failed`,
          `The refresh token has not been used for ${plural(idle, 'day')} and refreshing it failed (${s.oauthErrorCode}${s.oauthError ? `: ${s.oauthError}` : ''}). Use Check token on the store's Notifications page.`,
        );
      }
      if (idle >= t.tokenIdleDays) {
        add(
          'token_idle',
          'warning',
          `${s.storeName}: refresh token unused for ${plural(idle, 'day')}`,
          'Providers revoke refresh tokens that are not used (Microsoft after 90 days). Send a test or use Check token on the store’s Notifications page.',
        );
      }
    }
  }

  const run = s.recentOutcomes.slice(0, t.failedInRow);
  const inRow = t.failedInRow > 0 && run.length === t.failedInRow && run.every((ok) => !ok);
  const rate = s.windowSent >= MIN_RATE_SAMPLE ? Math.round((s.windowFailed / s.windowSent) * 100) : 0;
  if (inRow || (s.windowSent >= MIN_RATE_SAMPLE && rate >= t.failureRatePercent)) {
    add(
      'send_failures',
      'error',
      inRow
        ? `${s.storeName}: the last ${plural(t.failedInRow, 'notification')} failed`
        : `${s.storeName}: ${rate}% of notifications failed`,
      `${s.windowFailed} of ${s.windowSent} sends in the last ${plural(t.failureWindowMinutes, 'minute')} failed. The store's Delivery log has each failure with the server's reply and advice.`,
    );
  }

  if (s.queued >= t.backlogCount) {
    add(
      'queue_backlog',
      'warning',
      `${s.storeName}: ${plural(s.queued, 'message')} waiting to be sent`,
      `More than ${t.backlogCount - 1} messages wait in this store's queue: the server is refusing or slow, or the send rate is too low.`,
    );
  }
  if (s.oldestQueuedAt && now.getTime() - s.oldestQueuedAt.getTime() >= t.oldestQueuedMinutes * 60_000) {
    add(
      'queue_age',
      'warning',
      `${s.storeName}: a message has waited ${ageText(now.getTime() - s.oldestQueuedAt.getTime())}`,
      `The oldest message in this store's queue was accepted on ${formatUtc(s.oldestQueuedAt)} and is not sent yet.`,
    );
  }
  return out;
}
