/** Public types of the send engines (lib/mail/smtp-send.ts, lib/mail/graph/send.ts). */
import type { DestinationPolicy } from '@/lib/net/policy';

export type { DestinationPolicy };

/**
 * auto = implicit TLS on 465, otherwise STARTTLS when offered; starttls = STARTTLS required
 * (a server that does not offer it fails before any AUTH); tls = implicit TLS from the first
 * byte; none = plain text, never upgrade.
 */
export type SecurityMode = 'auto' | 'starttls' | 'tls' | 'none';

export type SmtpTimeouts = { connectMs?: number; greetingMs?: number; socketMs?: number; totalMs?: number };

export type SmtpTarget = {
  host: string;
  port: number;
  securityMode: SecurityMode;
  allowSelfSigned: boolean;
  ehloName?: string;
  /** Defaults 10 s / 10 s / 20 s / 30 s, and never above those maxima (docs/security.md#short-timeouts). */
  timeouts?: SmtpTimeouts;
};

/** Microsoft Graph sendMail settings of a profile whose transport is Graph. */
export type GraphSettings = {
  /** API root with its version, e.g. https://graph.microsoft.com/v1.0 */
  endpoint: string;
  /** The mailbox sent from (UPN or object ID); ignored in the URL when `delegated`. */
  sender: string;
  /** true → POST {endpoint}/me/sendMail (signed-in user), false → {endpoint}/users/{sender}/sendMail (app-only). */
  delegated: boolean;
  /** Whole-send limit; never above 30 s (docs/security.md#short-timeouts). */
  totalMs?: number;
};

/**
 * What the admin knowingly accepted for a credential (lib/mail/credential-consent.ts): sending it
 * unencrypted (security "None"), or to a certificate that is not trusted ("allow self-signed").
 * Absent means neither.
 */
export type CredentialConsent = { unencrypted: boolean; untrustedCertificate: boolean };

export type SmtpAuth =
  | { type: 'none' }
  | { type: 'basic'; user: string; pass: string; consent?: CredentialConsent }
  /** XOAUTH2 with the token; `user` is the SMTP login user. */
  | { type: 'oauth2'; user: string; accessToken: () => Promise<string>; consent?: CredentialConsent };

/** A plain-text message: the Test Server's, or a notification sent through the API (several To/Cc). */
export type OutgoingMessage = {
  from: { address: string; name?: string };
  to: string | string[];
  cc?: string[];
  subject: string;
  text: string;
  /** sent as multipart/alternative with `text` */ html?: string;
};

/** At most this many To + Cc addresses in one message. */
export const MAX_RECIPIENTS = 50;

/** SMTP steps, plus `token` (OAuth 2.0) and `request` of the Microsoft Graph transport (lib/mail/graph/send.ts). */
export type StepName =
  'resolve' | 'connect' | 'tls' | 'ehlo' | 'auth' | 'mail_from' | 'rcpt_to' | 'data' | 'accepted' | 'token' | 'request';
export const SMTP_STEP_ORDER: readonly StepName[] = [
  'resolve',
  'connect',
  'tls',
  'ehlo',
  'auth',
  'mail_from',
  'rcpt_to',
  'data',
  'accepted',
];
/** SMTP with XOAUTH2: the access token is obtained before any connection to the mail server. */
const SMTP_OAUTH_STEP_ORDER: readonly StepName[] = [
  'resolve',
  'token',
  'connect',
  'tls',
  'ehlo',
  'auth',
  'mail_from',
  'rcpt_to',
  'data',
  'accepted',
];
/** Graph sendMail: resolve = endpoint host lookup + destination policy; token; request = POST …/sendMail; accepted = 202. */
export const GRAPH_STEP_ORDER: readonly StepName[] = ['resolve', 'token', 'request', 'accepted'];

/** The steps a send reports, in order, for a transport and its authentication. */
export function stepOrder(transport: 'smtp' | 'graph', authType: SmtpAuth['type']): readonly StepName[] {
  if (transport === 'graph') return GRAPH_STEP_ORDER;
  return authType === 'oauth2' ? SMTP_OAUTH_STEP_ORDER : SMTP_STEP_ORDER;
}

/** What the step list, the delivery log and the overview call each step. */
export const STEP_LABELS: Record<StepName, string> = {
  resolve: 'Resolve host',
  token: 'Get access token',
  request: 'POST sendMail',
  connect: 'Connect',
  tls: 'TLS',
  ehlo: 'EHLO (capabilities)',
  auth: 'Authenticate',
  mail_from: 'MAIL FROM',
  rcpt_to: 'RCPT TO',
  data: 'DATA',
  accepted: 'Accepted',
};

export type Step = { name: StepName; status: 'ok' | 'failed' | 'skipped'; detail: string; ms: number };

export type SmtpReply = { code?: number; enhanced?: string; text: string };

/** A setting that fixes the failure, offered as a button ("Switch to Implicit TLS on 465"). */
export type AdviceFix = { label: string; set: { securityMode?: SecurityMode; port?: number } };

export type Advice = { id: string; title: string; detail: string; docs?: string; fix?: AdviceFix };

export type SendResult = {
  ok: boolean;
  /** Which engine produced this result. */
  transport: 'smtp' | 'graph';
  steps: Step[];
  failedStep?: StepName;
  /** The server reply behind the failure, or the final 250 on success (Graph: HTTP status + `code: message`). */
  reply?: SmtpReply;
  advice?: Advice;
  /** What went wrong, in the engine's words: `EAUTH`, `ENOGREETING`, `EPOLICY_PORT`, … (see advice.ts). */
  errorCode?: string;
  transcript: string[];
  messageId?: string;
  /** Recipients the server refused while accepting the message for the others (SMTP RCPT TO). */
  rejected?: { address: string; reply: string }[];
  /** SMTP: the queue id of the final 250; Graph: the `request-id` (or `client-request-id`) response header. */
  queueId?: string;
  durationMs: number;
  connections: number;
  /** Seconds the server asked to wait before trying again (Graph Retry-After). */
  retryAfterSeconds?: number;
};

/** `policy`: where this engine may connect — SMTP's for the SMTP engine, HTTPS's for Graph (lib/net/policy.ts). */
export type SendOptions = {
  policy: DestinationPolicy;
  onStep?: (step: Step) => void;
  signal?: AbortSignal;
  /** Graph: report a 429 with its Retry-After instead of waiting once (the outbox schedules the retry itself). */
  waitOnThrottle?: boolean;
};

/** A failure the engine recognised; `errorCode` is what the advice catalogue matches on. */
export class SendError extends Error {
  override name = 'SendError';
  constructor(
    readonly errorCode: string,
    message: string,
    /** Set when the failure belongs to a step other than the one in progress. */
    readonly step?: StepName,
    /** Raw server reply, when a reply caused it. */
    readonly response?: string,
  ) {
    super(message);
  }
}
