/**
 * The same send through nodemailer's ordinary transport, without steps, policy or transcript:
 * the baseline the benchmark compares sendViaSmtp against.
 */
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { resolveLimits } from '@/lib/mail/limits';
import { mailOptions, validateMessage } from '@/lib/mail/message';
import { implicitTls } from '@/lib/mail/smtp-send';
import type { SmtpAuth, SmtpTarget, OutgoingMessage } from '@/lib/mail/types';

type BareSendResult = { messageId: string; response: string; accepted: string[] };

export async function bareSend(target: SmtpTarget, auth: SmtpAuth, message: OutgoingMessage): Promise<BareSendResult> {
  const limits = resolveLimits(target.timeouts);
  const fields = validateMessage(message);
  const options: SMTPTransport.Options = {
    host: target.host,
    port: target.port,
    secure: implicitTls(target),
    requireTLS: target.securityMode === 'starttls',
    ignoreTLS: target.securityMode === 'none',
    name: target.ehloName,
    tls: { rejectUnauthorized: !target.allowSelfSigned },
    connectionTimeout: limits.connectMs,
    greetingTimeout: limits.greetingMs,
    socketTimeout: limits.socketMs,
    auth:
      auth.type === 'basic'
        ? { user: auth.user, pass: auth.pass }
        : auth.type === 'oauth2'
          ? { type: 'OAuth2', user: auth.user, accessToken: await auth.accessToken() }
          : undefined,
  };
  const transport = nodemailer.createTransport(options);
  try {
    const info = await transport.sendMail(mailOptions(fields));
    return { messageId: info.messageId, response: info.response, accepted: info.accepted.map(String) };
  } finally {
    transport.close();
  }
}
