/**
 * Production SMTP sends for the outbox: one nodemailer pool per store while its queue has work,
 * so messages share a few authenticated TLS sessions instead of a new connection and AUTH each.
 * The pool connects to the address the destination policy checked (the certificate is still
 * checked against the host name), never sends credentials in clear unless the admin chose
 * security "None", and reports a failure in the same terms (step, reply, advice) as Test Server.
 */
import dns from 'node:dns/promises';
import { isIP } from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { adviseFor } from '@/lib/mail/advice';
import { classifyError, smtpFailureAdvice } from '@/lib/mail/classify';
import { resolveLimits } from '@/lib/mail/limits';
import { mailOptions, type MessageFields } from '@/lib/mail/message';
import { checkDestination } from '@/lib/net/policy';
import { credentialRefusal, transportRules } from '@/lib/mail/credential-consent';
import { implicitTls, QUEUE_ID } from '@/lib/mail/smtp-send';
import { connectTcp } from '@/lib/mail/tcp';
import { parseReply } from '@/lib/mail/transcript';
import {
  SendError,
  type Advice,
  type DestinationPolicy,
  type SmtpAuth,
  type SmtpReply,
  type SmtpTarget,
  type StepName,
} from '@/lib/mail/types';

/** A message ready for the wire: composed fields, or MIME bytes as the relay received them. */
export type PoolMessage =
  | { messageId: string; fields: MessageFields; envelope?: undefined; raw?: undefined }
  | { messageId: string; raw: Buffer; envelope: { from: string; to: string[] }; fields?: undefined };

export type AttemptResult =
  | { ok: true; reply: SmtpReply; queueId?: string; rejected: { address: string; reply: string }[]; durationMs: number }
  | {
      ok: false;
      step: StepName;
      errorCode: string;
      detail: string;
      reply?: SmtpReply;
      advice: Advice;
      retryAfterSeconds?: number;
      durationMs: number;
    };

export type PoolOptions = {
  target: SmtpTarget;
  auth: SmtpAuth;
  policy: DestinationPolicy;
  maxConnections: number;
  /** OAuth: a fresh token when the server rejected the cached one (XOAUTH2 retries once). */
  renewToken?: () => Promise<string>;
};

/** nodemailer's command names → our steps. */
const STEP_OF_COMMAND: [RegExp, StepName][] = [
  [/^CONN/i, 'connect'],
  [/^STARTTLS/i, 'tls'],
  [/^(EHLO|HELO|LHLO)/i, 'ehlo'],
  [/^(AUTH|API)/i, 'auth'],
  [/^MAIL/i, 'mail_from'],
  [/^RCPT/i, 'rcpt_to'],
  [/^(DATA|MESSAGE|DATA)/i, 'data'],
];

type NodemailerError = Error & {
  code?: string;
  command?: string;
  response?: string;
  responseCode?: number;
  rejectedErrors?: { recipient?: string; response?: string }[];
};

export class SmtpPool {
  private constructor(
    private readonly transporter: Transporter<SMTPPool.SentMessageInfo>,
    private readonly o: PoolOptions,
    /** "smtp.example.com (192.0.2.1):587", for messages. */
    readonly where: string,
    private readonly tokenFailure: { last?: Error },
  ) {}

  private closed = false;

  /** Resolves the host and checks the policy once per pool; a refusal is a failed attempt at `resolve`/`connect`. */
  static async open(o: PoolOptions): Promise<SmtpPool> {
    const { target, auth } = o;
    const host = target.host.trim();
    const addresses = isIP(host) ? [host] : (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    const verdict = checkDestination(host, addresses, target.port, o.policy);
    if (!verdict.ok) throw new SendError(verdict.errorCode, verdict.detail, 'connect');
    const limits = resolveLimits(target.timeouts);
    const secure = implicitTls(target);
    // One rule with the step engine (docs/security.md#no-credentials-in-clear-text): over "None" only a
    // credential entered after choosing it; to an untrusted certificate only one entered after allowing it.
    const rules = transportRules(target, auth);
    if (target.securityMode === 'none') {
      const refusal = credentialRefusal(target, auth, { encrypted: false, certificateTrusted: true });
      if (refusal) throw new SendError(refusal.errorCode, refusal.message, 'auth');
    }
    const tokenFailure: { last?: Error } = {};
    const where = `${host === verdict.ip ? host : `${host} (${verdict.ip})`}:${target.port}`;
    const options: SMTPPool.Options = {
      pool: true,
      maxConnections: o.maxConnections,
      maxMessages: 100,
      host: verdict.ip,
      port: target.port,
      secure,
      requireTLS: !secure && target.securityMode !== 'none' && (target.securityMode === 'starttls' || rules.requireEncryption),
      ignoreTLS: target.securityMode === 'none',
      name: target.ehloName,
      tls: { ...(isIP(host) ? {} : { servername: host }), rejectUnauthorized: rules.requireTrustedCertificate },
      // Our own socket (to the checked address, Nagle off: lib/mail/tcp.ts); nodemailer does TLS on it.
      getSocket: (_opts, callback) =>
        void connectTcp({ ip: verdict.ip, port: target.port, timeoutMs: limits.connectMs, where }).then(
          (connection) => callback(null, { connection }),
          (err: Error) => callback(Object.assign(err, { command: 'CONN' }), undefined),
        ),
      connectionTimeout: limits.connectMs,
      greetingTimeout: limits.greetingMs,
      socketTimeout: limits.socketMs,
      auth:
        auth.type === 'basic'
          ? { user: auth.user, pass: auth.pass }
          : auth.type === 'oauth2'
            ? {
                type: 'OAuth2',
                user: auth.user,
                // Called for each new connection's login, and with renew=true once when the server rejected the token.
                provisionCallback: (_user, renew, cb) => {
                  const get = renew && o.renewToken ? o.renewToken : auth.accessToken;
                  get().then(
                    (token) => cb(null, token, Date.now() + 60_000),
                    (err: Error) => {
                      // nodemailer rewraps the error; keep ours (with its advice) for the failure report.
                      tokenFailure.last = err;
                      cb(err, '', 0);
                    },
                  );
                },
              }
            : undefined,
    };
    return new SmtpPool(nodemailer.createTransport(options), o, where, tokenFailure);
  }

  async send(message: PoolMessage): Promise<AttemptResult> {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      // nodemailer queues a message given to a closed pool and never sends it: fail it instead (retried).
      if (this.closed) throw Object.assign(new Error('The connection pool was closed.'), { code: 'ECONNECTION' });
      const info = message.raw
        ? await this.transporter.sendMail({ envelope: message.envelope, raw: message.raw, messageId: message.messageId })
        : await this.transporter.sendMail({ ...mailOptions(message.fields), messageId: message.messageId });
      const reply = parseReply(info.response);
      const queueId = QUEUE_ID.map((re) => re.exec(reply.text)?.[1]).find(Boolean);
      const errors = (info as { rejectedErrors?: NodemailerError[] }).rejectedErrors ?? [];
      const rejected = info.rejected.map((address, i) => ({ address: String(address), reply: errors[i]?.response ?? 'refused' }));
      return { ok: true, reply, ...(queueId && { queueId }), rejected, durationMs: ms() };
    } catch (error) {
      const err = error as NodemailerError;
      // A failed token request surfaces as EAUTH without a server reply: report the token's own error.
      const token = err.code === 'EAUTH' && !err.response ? this.tokenFailure.last : undefined;
      this.tokenFailure.last = undefined;
      return { ...this.failure(token ?? err), durationMs: ms() };
    }
  }

  private failure(err: NodemailerError): Omit<Extract<AttemptResult, { ok: false }>, 'durationMs'> {
    const { target, auth } = this.o;
    const fromCommand = err.command ? STEP_OF_COMMAND.find(([re]) => re.test(err.command ?? ''))?.[1] : undefined;
    const step: StepName =
      err instanceof SendError && err.step
        ? err.step
        : err.code === 'EAUTH'
          ? 'auth'
          : err.code === 'EENVELOPE' && !fromCommand
            ? 'rcpt_to'
            : (fromCommand ?? 'connect');
    const tokenError = err instanceof SendError && (err.step === 'token' || err.step === 'auth') && !err.response;
    const c = classifyError(err, {
      step,
      where: this.where,
      sawServerReply: Boolean(err.response),
      lastCommand: err.command,
      greetingMs: 0,
      socketMs: 0,
    });
    const { reply, advice } = smtpFailureAdvice(c, c.step ?? step, target, auth);
    // A token failure carries the OAuth advice (AADSTS…), which says more than the generic one.
    const tokenAdvice = tokenError ? (err as { advice?: Advice }).advice : undefined;
    return {
      ok: false,
      step: tokenError ? 'token' : (c.step ?? step),
      errorCode: c.errorCode,
      detail: c.detail,
      ...(reply && { reply }),
      advice: tokenAdvice ?? advice,
    };
  }

  close(): void {
    this.closed = true;
    this.transporter.close();
  }
}

/** A failure before any send (DNS, policy): reported like a send failure of the attempt. */
export function openFailure(error: unknown, o: Pick<PoolOptions, 'target' | 'auth'>): Extract<AttemptResult, { ok: false }> {
  const step: StepName = error instanceof SendError && error.step ? error.step : 'resolve';
  const c = classifyError(error, {
    step,
    where: `${o.target.host}:${o.target.port}`,
    sawServerReply: false,
    greetingMs: 0,
    socketMs: 0,
  });
  const advice = adviseFor({
    step: c.step ?? step,
    errorCode: c.errorCode,
    text: c.detail,
    port: o.target.port,
    securityMode: o.target.securityMode,
    authType: o.auth.type,
  });
  return { ok: false, step: c.step ?? step, errorCode: c.errorCode, detail: c.detail, advice, durationMs: 0 };
}
