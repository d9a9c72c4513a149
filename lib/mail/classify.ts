/**
 * Turns whatever failed (Node socket/TLS errors, nodemailer SMTP errors, our own SendError)
 * into one errorCode the advice catalogue understands, plus a plain sentence for the step.
 */
import { adviseFor } from '@/lib/mail/advice';
import { parseReply } from '@/lib/mail/transcript';
import { SendError, type Advice, type SmtpAuth, type SmtpReply, type SmtpTarget, type StepName } from '@/lib/mail/types';

type Classified = { errorCode: string; detail: string; response?: string; step?: StepName };

/** The server's reply in a classified SMTP failure, and the advice for it at `step`. */
export function smtpFailureAdvice(
  c: Classified,
  step: StepName,
  target: Pick<SmtpTarget, 'port' | 'securityMode'>,
  auth: Pick<SmtpAuth, 'type'>,
): { reply?: SmtpReply; advice: Advice } {
  const reply = c.response ? parseReply(c.response) : undefined;
  const advice = adviseFor({
    step,
    errorCode: c.errorCode,
    code: reply?.code,
    enhanced: reply?.enhanced,
    text: `${reply?.text ?? ''} ${c.detail}`,
    port: target.port,
    securityMode: target.securityMode,
    authType: auth.type,
  });
  return { reply, advice };
}

type ClassifyContext = {
  step: StepName;
  /** `host (ip):port`, for messages. */
  where: string;
  /** True once any server reply arrived: a silent socket after that is a stall, not a missing greeting. */
  sawServerReply: boolean;
  /** The last command sent (credentials already masked), for "no reply to …". */
  lastCommand?: string;
  lastReply?: string;
  greetingMs: number;
  socketMs: number;
};

type NodeishError = Error & { code?: string; response?: string; responseCode?: number; command?: string };

/** Node/OpenSSL wording, in both the old and the new (OpenSSL 3, "self-signed") spelling. */
const TLS_PATTERNS: { errorCode: string; test: RegExp; reason: string }[] = [
  {
    errorCode: 'ETLS_WRONG_VERSION',
    test: /wrong version number|WRONG_VERSION_NUMBER|packet length too long|unknown protocol|http request/i,
    reason: 'the server answered in plain text, not TLS',
  },
  {
    errorCode: 'ECERT_NAME',
    test: /does not match certificate|ALTNAME_INVALID|Hostname\/IP does not match/i,
    reason: 'the certificate is for another host name',
  },
  {
    errorCode: 'ECERT_EXPIRED',
    test: /certificate has expired|certificate is not yet valid|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID/i,
    reason: 'the certificate has expired or is not yet valid',
  },
  {
    errorCode: 'ECERT_UNTRUSTED',
    test: /self[- ]signed|unable to verify|unable to get (local )?issuer|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|certificate chain|unknown ca/i,
    reason: 'the certificate is not trusted (self-signed or unknown issuer)',
  },
];

export function classifyTls(message: string, code = ''): { errorCode: string; reason: string } | undefined {
  const hit = TLS_PATTERNS.find((p) => p.test.test(code) || p.test.test(message));
  return hit && { errorCode: hit.errorCode, reason: hit.reason };
}

const REFUSED_BY_STEP: Partial<Record<StepName, string>> = {
  connect: 'The server refused the session',
  tls: 'The server refused STARTTLS',
  ehlo: 'The server refused EHLO',
  auth: 'The server rejected the login',
  mail_from: 'The server refused the sender (MAIL FROM)',
  rcpt_to: 'The server refused the recipient (RCPT TO)',
  data: 'The server refused the message',
};

export const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const oneLine = (s: string) => s.replace(/\s*\r?\n\s*/g, ' ').trim();
/** `80AC…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:…` → `wrong version number` */
const tlsReason = (m: string) => /SSL routines:[^:]*:([^:]+)/.exec(m)?.[1] ?? oneLine(m.replace(/^Error initiating TLS - /, ''));

export function classifyError(error: unknown, ctx: ClassifyContext): Classified {
  if (error instanceof SendError) {
    return {
      errorCode: error.errorCode,
      detail: error.message,
      ...(error.response && { response: error.response }),
      ...(error.step && { step: error.step }),
    };
  }
  const err: NodeishError = error instanceof Error ? error : new Error(String(error));
  const code = err.code ?? '';
  const message = err.message ?? '';

  if (ctx.step === 'resolve') {
    return { errorCode: code || 'EDNS', detail: `DNS lookup failed (${code || message}).` };
  }
  if (code === 'ETIMEDOUT') {
    const greeting = /greeting/i.test(message) || !ctx.sawServerReply;
    if (greeting) {
      return {
        errorCode: 'ENOGREETING',
        detail: `Connected to ${ctx.where}, but no greeting arrived within ${seconds(ctx.greetingMs)}.`,
      };
    }
    const waitingFor = ctx.lastCommand ? ` (no reply to ${ctx.lastCommand})` : '';
    return { errorCode: 'ESTALLED', detail: `The server stopped answering after ${seconds(ctx.socketMs)}${waitingFor}.` };
  }
  const tls = classifyTls(message, code);
  if (tls && (ctx.step === 'tls' || code === 'ETLS' || code === 'ESOCKET' || !err.response)) {
    return { errorCode: tls.errorCode, detail: `TLS failed: ${tls.reason} (${tlsReason(message)}).` };
  }
  const response = err.response ?? (code === 'EAUTH' ? failureReply(ctx.lastReply) : undefined);
  if (response) {
    const prefix = REFUSED_BY_STEP[ctx.step] ?? 'The server refused';
    return { errorCode: code || 'EPROTOCOL', detail: `${prefix}: ${oneLine(response)}`, response };
  }
  if (ctx.step === 'tls' || code === 'ETLS') {
    return { errorCode: 'ETLS', detail: `TLS failed: ${tlsReason(message)}.` };
  }
  if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ECONNRESET', 'EPIPE'].includes(code)) {
    const what = code === 'ECONNREFUSED' ? 'refused' : 'failed';
    return { errorCode: code, detail: `Connection to ${ctx.where} ${what} (${code}).` };
  }
  if (code === 'ESOCKET' || code === 'ECONNECTION') {
    return { errorCode: 'ECONNECTION', detail: `The server closed the connection (${oneLine(message)}).` };
  }
  return { errorCode: code || 'EUNKNOWN', detail: oneLine(message) || 'Unknown error.' };
}

/** Only a 4xx/5xx reply explains a failure; a 334 challenge does not. */
function failureReply(reply: string | undefined): string | undefined {
  return reply && /^[45]\d\d/.test(reply) ? reply : undefined;
}
