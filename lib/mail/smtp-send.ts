/**
 * The step-diagnosed SMTP engine: sends one real message step by step (resolve → policy → [token] →
 * connect → TLS → EHLO → AUTH → MAIL FROM → RCPT TO → DATA) and explains the first failure.
 * Test Server and the send API use it; a failure names the step, the reply and advice.
 */
import { isIP } from 'node:net';
import { toAsciiHost } from '@/lib/mail/address';
import { classifyError, smtpFailureAdvice } from '@/lib/mail/classify';
import { credentialRefusal } from '@/lib/mail/credential-consent';
import { Deadline, resolveLimits } from '@/lib/mail/limits';
import { composeMessage, type ComposedMessage } from '@/lib/mail/message';
import { checkDestination } from '@/lib/net/policy';
import { resolveHost } from '@/lib/mail/resolve';
import { finishSend, type ResultPart } from '@/lib/mail/result';
import { SmtpSession, type SessionEvent, type TlsInfo } from '@/lib/mail/session';
import { StepRecorder } from '@/lib/mail/steps';
import { obtainToken } from '@/lib/mail/token';
import { parseReply, secretVariants, Transcript } from '@/lib/mail/transcript';
import {
  SendError,
  stepOrder,
  type CredentialConsent,
  type OutgoingMessage,
  type SendOptions,
  type SendResult,
  type SmtpAuth,
  type SmtpTarget,
} from '@/lib/mail/types';

const EHLO_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^\[[0-9A-Fa-f:.]+\]$/;

/** Queue ids as the common servers print them in the final 250 reply. */
export const QUEUE_ID = [
  /queued as ([A-Za-z0-9][\w.-]*)/i, // Postfix, smtp-server, many others
  /\bid=([\w.-]+)/i, // Exim
  /InternalId=(\d+)/i, // Exchange Online
  /\bOK\s+\d+\s+(\S+)\s+-\s+gsmtp/i, // Gmail
];

/** What AUTH sends: Basic credentials, or the XOAUTH2 user with the token the `token` step obtained. */
type Login = Exclude<SmtpAuth, { type: 'oauth2' }> | { type: 'oauth2'; user: string; token: string; consent?: CredentialConsent };

export const implicitTls = (t: SmtpTarget) => t.securityMode === 'tls' || (t.securityMode === 'auto' && t.port === 465);

export async function sendViaSmtp(
  target: SmtpTarget,
  auth: SmtpAuth,
  message: OutgoingMessage,
  opts: SendOptions,
): Promise<SendResult> {
  const started = performance.now();
  const limits = resolveLimits(target.timeouts);
  const implicit = implicitTls(target);
  const secrets = auth.type === 'basic' ? secretVariants(auth.user, auth.pass) : [];
  const steps = new StepRecorder(opts.onStep, secrets, stepOrder('smtp', auth.type));
  const transcript = new Transcript();
  let session: SmtpSession | undefined;
  let composed: ComposedMessage | undefined;
  const deadline = new Deadline(limits.totalMs, opts.signal, () => session?.destroy());
  /** First line of the reply to each RCPT TO, in envelope order (nodemailer sends them one by one). */
  const rcptReplies: string[] = [];

  const onEvent = (e: SessionEvent) => {
    if (!session) return;
    if (e.type === 'upgraded') return steps.ok('tls', tlsDetail('STARTTLS', session.tlsInfo()));
    const first = e.reply.split(/\r?\n/)[0];
    if (e.after === '' && !implicit && steps.current === 'connect' && first.startsWith('220')) {
      steps.ok('connect', `Connected to ${session.where}; the server greeted: ${first}`);
    } else if (e.after === 'MAIL FROM' && first.startsWith('2')) {
      steps.ok('mail_from', `Sender <${composed?.envelope.from}> accepted: ${first}`);
    } else if (e.after === 'RCPT TO' && composed) {
      rcptReplies.push(first);
      const all = composed.envelope.to;
      // All rejected: nodemailer fails the send, and the failure is reported at RCPT TO.
      if (rcptReplies.length === all.length && rcptReplies.some((r) => r.startsWith('2')))
        steps.ok('rcpt_to', rcptDetail(all, rcptReplies));
    }
  };

  try {
    const host = validateTarget(target);
    composed = await composeMessage(message);
    const addresses = await deadline.race(resolveHost(host, limits.connectMs));
    steps.ok(
      'resolve',
      isIP(host) ? `${host} is an IP address; no DNS lookup needed.` : `${host} resolves to ${addresses.join(', ')}.`,
    );

    const verdict = checkDestination(host, addresses, target.port, opts.policy);
    if (!verdict.ok) throw new SendError(verdict.errorCode, verdict.detail, 'connect');
    // Before connecting: the mail server is not kept waiting while a token is refreshed.
    const login: Login =
      auth.type === 'oauth2'
        ? { type: 'oauth2', user: auth.user, token: await obtainToken(auth.accessToken, deadline), consent: auth.consent }
        : auth;
    if (login.type === 'oauth2') {
      secrets.push(...secretVariants(login.user, login.token));
      steps.ok('token', `Access token obtained for ${login.user || 'the connected account'}.`);
    }
    session = new SmtpSession({
      ip: verdict.ip,
      port: target.port,
      servername: isIP(host) ? undefined : host,
      allowSelfSigned: target.allowSelfSigned,
      ehloName: target.ehloName,
      limits,
      transcript,
      onEvent,
    });
    await deadline.race(session.openTcp());
    if (implicit) {
      steps.ok('connect', `TCP connection to ${session.where} established.`);
      steps.ok('tls', tlsDetail('Implicit TLS', await deadline.race(session.startTls())));
    }
    await deadline.race(session.greetAndEhlo({ secured: implicit, ignoreTLS: target.securityMode === 'none' }));
    if (steps.current === 'tls') {
      if (target.securityMode === 'none')
        steps.skip('tls', 'Security mode is "None — unencrypted": the connection is not encrypted.');
      else if (target.securityMode === 'starttls') {
        throw new SendError(
          'ENOSTARTTLS',
          'The server does not offer STARTTLS (not in its EHLO reply), so the test stopped before AUTH.',
        );
      } else steps.skip('tls', 'The server does not offer STARTTLS: the connection is not encrypted.');
    }
    steps.ok(
      'ehlo',
      session.capabilities.length ? `Capabilities: ${session.capabilities.join(', ')}` : 'The server lists no extensions.',
    );

    await authenticate(session, login, target, steps, deadline);
    const info = await deadline.race(session.send(composed.envelope, composed.raw));
    const reply = parseReply(info.response);
    const queueId = QUEUE_ID.map((re) => re.exec(reply.text)?.[1]).find(Boolean);
    steps.ok('data', `Message sent (${info.messageSize} bytes); the server answered: ${info.response.split(/\r?\n/)[0]}`);
    const rejected = refused(composed.envelope.to, rcptReplies);
    const partly = rejected.length
      ? ` for ${composed.envelope.to.length - rejected.length} of ${composed.envelope.to.length} recipients`
      : '';
    steps.ok(
      'accepted',
      `Accepted for delivery${partly}${queueId ? `, queue id ${queueId}` : ''}. Message-ID ${composed.messageId}.`,
    );
    session.quit();
    return finish({
      ok: true,
      reply,
      messageId: composed.messageId,
      ...(queueId && { queueId }),
      ...(rejected.length && { rejected }),
    });
  } catch (error) {
    session?.destroy();
    const c = classifyError(error, {
      step: steps.current ?? 'accepted',
      where: session?.where ?? `${target.host}:${target.port}`,
      sawServerReply: session?.sawServerReply ?? false,
      lastCommand: session?.lastCommand,
      lastReply: transcript.lastReply(),
      greetingMs: limits.greetingMs,
      socketMs: limits.socketMs,
    });
    const failedStep = steps.fail(c.detail, c.step);
    const { reply, advice } = smtpFailureAdvice(c, failedStep, target, auth);
    return finish({
      ok: false,
      failedStep,
      errorCode: c.errorCode,
      advice,
      ...(reply && { reply }),
      ...(composed && failedStep === 'data' && { messageId: composed.messageId }),
    });
  } finally {
    deadline.clear();
  }

  function finish(part: ResultPart): SendResult {
    const destination = { host: target.host, port: target.port, securityMode: target.securityMode };
    return finishSend(part, {
      transport: 'smtp',
      steps,
      transcript,
      started,
      connections: session?.connections ?? 0,
      secrets,
      destination,
    });
  }
}

function refused(addresses: string[], replies: string[]): { address: string; reply: string }[] {
  return addresses.flatMap((address, i) => (replies[i] && !replies[i].startsWith('2') ? [{ address, reply: replies[i] }] : []));
}

function rcptDetail(addresses: string[], replies: string[]): string {
  if (addresses.length === 1) return `Recipient <${addresses[0]}> accepted: ${replies[0]}`;
  const rejected = refused(addresses, replies);
  const accepted = addresses.filter((a) => !rejected.some((r) => r.address === a));
  const refusedText = rejected.map((r) => `<${r.address}> (${r.reply})`).join(', ');
  return `Recipients <${accepted.join('>, <')}> accepted${rejected.length ? `; refused: ${refusedText}` : ''}.`;
}

function validateTarget(target: SmtpTarget): string {
  const host = toAsciiHost(target.host);
  if (!host) throw new SendError('ETARGET', `"${target.host}" is not a valid host name or IP address.`, 'resolve');
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
    throw new SendError('ETARGET', `Port ${target.port} is not a valid port number.`, 'connect');
  }
  if (target.ehloName !== undefined && !EHLO_NAME.test(target.ehloName)) {
    throw new SendError('ETARGET', 'The EHLO name must be a host name or an address literal like [192.0.2.1].', 'ehlo');
  }
  return host;
}

/** Reads the AUTH mechanisms from the EHLO lines (`AUTH PLAIN LOGIN` or the old `AUTH=PLAIN`). */
function authMechanisms(capabilities: string[]): string[] | null {
  const lines = capabilities.filter((c) => /^AUTH[ =]/i.test(c));
  return lines.length ? [...new Set(lines.flatMap((l) => l.slice(5).trim().toUpperCase().split(/\s+/)))] : null;
}

async function authenticate(
  session: SmtpSession,
  auth: Login,
  target: SmtpTarget,
  steps: StepRecorder,
  deadline: Deadline,
): Promise<void> {
  if (auth.type === 'none') return steps.skip('auth', 'No authentication configured.');
  // No credential crosses an unencrypted or unverified connection the admin did not accept for it (docs/security.md#no-credentials-in-clear-text).
  const refusal = credentialRefusal(target, auth, { encrypted: session.secure, certificateTrusted: session.certificateTrusted });
  if (refusal) throw refusal;
  const offered = authMechanisms(session.capabilities);
  if (!offered) throw new SendError('ENOAUTH', 'The server does not offer AUTH in its EHLO reply.');
  if (auth.type === 'basic') {
    const mechanism = ['PLAIN', 'LOGIN'].find((m) => offered.includes(m));
    if (!mechanism) throw new SendError('ENOMECH', `The server offers AUTH ${offered.join(' ')}, but neither PLAIN nor LOGIN.`);
    await deadline.race(session.loginBasic(auth.user, auth.pass));
    return steps.ok('auth', `Authenticated as ${auth.user} with ${mechanism}.`);
  }
  if (!offered.includes('XOAUTH2'))
    throw new SendError('ENOMECH', `The server offers AUTH ${offered.join(' ')}, but not XOAUTH2.`);
  await deadline.race(session.loginXoauth2(auth.user, auth.token));
  steps.ok('auth', `Authenticated as ${auth.user} with XOAUTH2.`);
}

function tlsDetail(how: string, info: TlsInfo | undefined): string {
  if (!info) return `${how}: connection encrypted.`;
  const cert = info.subject
    ? ` Certificate for ${info.subject}${info.issuer ? ` issued by ${info.issuer}` : ''}`
    : ' Certificate';
  const trust = info.authorized
    ? ', trusted.'
    : `, NOT trusted (${info.authorizationError ?? 'unknown reason'}); accepted because "allow self-signed" is ticked.`;
  const name = info.nameMatches ? '' : ' Warning: it is not issued for the host name entered.';
  return `${how}: ${info.protocol}, ${info.cipher}.${cert}${trust}${name}`;
}
