/**
 * Test Server: sends one real message step by step (resolve → policy → connect → TLS → EHLO →
 * AUTH → MAIL FROM → RCPT TO → DATA) and explains the first failure.
 */
import dns from 'node:dns/promises';
import { isIP } from 'node:net';
import { logger } from '@/lib/log';
import { toAsciiHost } from '@/lib/validation/primitives';
import { adviseFor } from '@/lib/mail/advice';
import { classifyError, seconds } from '@/lib/mail/classify';
import { Deadline, resolveLimits } from '@/lib/mail/limits';
import { composeMessage, type ComposedMessage } from '@/lib/mail/message';
import { checkDestination } from '@/lib/mail/policy';
import { SmtpSession, type SessionEvent, type TlsInfo } from '@/lib/mail/session';
import { StepRecorder } from '@/lib/mail/steps';
import { parseReply, scrubSecrets, secretVariants, Transcript } from '@/lib/mail/transcript';
import { SmtpTestError, type RunOptions, type SmtpAuth, type SmtpTarget, type TestMessage, type TestResult } from '@/lib/mail/types';

export type * from '@/lib/mail/types';
export { adviseFor, ADVICE } from '@/lib/mail/advice';
export { policyFromEnv } from '@/lib/mail/policy';
export { bareSend } from '@/lib/mail/bare-send';

const EHLO_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^\[[0-9A-Fa-f:.]+\]$/;

/** Queue ids as the common servers print them in the final 250 reply. */
const QUEUE_ID = [
  /queued as ([A-Za-z0-9][\w.-]*)/i, // Postfix, smtp-server, many others
  /\bid=([\w.-]+)/i, // Exim
  /InternalId=(\d+)/i, // Exchange Online
  /\bOK\s+\d+\s+(\S+)\s+-\s+gsmtp/i, // Gmail
];

export const implicitTls = (t: SmtpTarget) => t.securityMode === 'tls' || (t.securityMode === 'auto' && t.port === 465);

export async function runSmtpTest(target: SmtpTarget, auth: SmtpAuth, message: TestMessage, opts: RunOptions): Promise<TestResult> {
  const started = performance.now();
  const limits = resolveLimits(target.timeouts);
  const implicit = implicitTls(target);
  const secrets = auth.type === 'basic' ? secretVariants(auth.user, auth.pass) : [];
  const steps = new StepRecorder(opts.onStep, (s) => scrubSecrets(s, secrets));
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
      if (rcptReplies.length === all.length && rcptReplies.some((r) => r.startsWith('2'))) steps.ok('rcpt_to', rcptDetail(all, rcptReplies));
    }
  };

  try {
    const host = validateTarget(target);
    composed = await composeMessage(message);
    const addresses = await deadline.race(resolveHost(host, limits.connectMs));
    steps.ok('resolve', isIP(host) ? `${host} is an IP address; no DNS lookup needed.` : `${host} resolves to ${addresses.join(', ')}.`);

    const verdict = checkDestination(host, addresses, target.port, opts.policy);
    if (!verdict.ok) throw new SmtpTestError(verdict.errorCode, verdict.detail, 'connect');
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
      if (target.securityMode === 'none') steps.skip('tls', 'Security is "None": the connection is not encrypted.');
      else if (target.securityMode === 'starttls') {
        throw new SmtpTestError('ENOSTARTTLS', 'The server does not offer STARTTLS (not in its EHLO reply), so the test stopped before AUTH.');
      } else steps.skip('tls', 'The server does not offer STARTTLS: the connection is not encrypted.');
    }
    steps.ok('ehlo', session.capabilities.length ? `Capabilities: ${session.capabilities.join(', ')}` : 'The server lists no extensions.');

    await authenticate(session, auth, target, steps, deadline, secrets);
    const info = await deadline.race(session.send(composed.envelope, composed.raw));
    const reply = parseReply(info.response);
    const queueId = QUEUE_ID.map((re) => re.exec(reply.text)?.[1]).find(Boolean);
    steps.ok('data', `Message sent (${info.messageSize} bytes); the server answered: ${info.response.split(/\r?\n/)[0]}`);
    const rejected = refused(composed.envelope.to, rcptReplies);
    const partly = rejected.length ? ` for ${composed.envelope.to.length - rejected.length} of ${composed.envelope.to.length} recipients` : '';
    steps.ok('accepted', `Accepted for delivery${partly}${queueId ? `, queue id ${queueId}` : ''}. Message-ID ${composed.messageId}.`);
    session.quit();
    return finish({ ok: true, reply, messageId: composed.messageId, ...(queueId && { queueId }), ...(rejected.length && { rejected }) });
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
    const reply = c.response ? parseReply(c.response) : undefined;
    const advice = adviseFor({
      step: failedStep,
      errorCode: c.errorCode,
      code: reply?.code,
      enhanced: reply?.enhanced,
      text: `${reply?.text ?? ''} ${c.detail}`,
      port: target.port,
      securityMode: target.securityMode,
      authType: auth.type,
    });
    return finish({ ok: false, failedStep, errorCode: c.errorCode, advice, ...(reply && { reply }), ...(composed && failedStep === 'data' && { messageId: composed.messageId }) });
  } finally {
    deadline.clear();
  }

  function finish(part: Omit<TestResult, 'steps' | 'transcript' | 'durationMs' | 'connections'>): TestResult {
    const result: TestResult = {
      ...part,
      steps: steps.steps,
      transcript: transcript.lines(),
      durationMs: Math.round(performance.now() - started),
      connections: session?.connections ?? 0,
    };
    logger.info(
      { host: target.host, port: target.port, securityMode: target.securityMode, ok: result.ok, failedStep: result.failedStep, errorCode: result.errorCode, ms: result.durationMs },
      'smtp test finished',
    );
    return scrubSecrets(result, secrets);
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
  if (!host) throw new SmtpTestError('ETARGET', `"${target.host}" is not a valid host name or IP address.`, 'resolve');
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
    throw new SmtpTestError('ETARGET', `Port ${target.port} is not a valid port number.`, 'connect');
  }
  if (target.ehloName !== undefined && !EHLO_NAME.test(target.ehloName)) {
    throw new SmtpTestError('ETARGET', 'The EHLO name must be a host name or an address literal like [192.0.2.1].', 'ehlo');
  }
  return host;
}

async function resolveHost(host: string, timeoutMs: number): Promise<string[]> {
  if (isIP(host)) return [host];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SmtpTestError('ETIMEDOUT', `DNS lookup of ${host} did not answer within ${seconds(timeoutMs)}.`)), timeoutMs);
  });
  try {
    const found = await Promise.race([dns.lookup(host, { all: true, verbatim: true }), timeout]);
    return found.map((a) => a.address);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads the AUTH mechanisms from the EHLO lines (`AUTH PLAIN LOGIN` or the old `AUTH=PLAIN`). */
function authMechanisms(capabilities: string[]): string[] | null {
  const lines = capabilities.filter((c) => /^AUTH[ =]/i.test(c));
  return lines.length ? [...new Set(lines.flatMap((l) => l.slice(5).trim().toUpperCase().split(/\s+/)))] : null;
}

async function authenticate(session: SmtpSession, auth: SmtpAuth, target: SmtpTarget, steps: StepRecorder, deadline: Deadline, secrets: string[]): Promise<void> {
  if (auth.type === 'none') return steps.skip('auth', 'No authentication configured.');
  // SECURITY.md 15: credentials never cross an unencrypted connection unless the admin chose "None".
  if (!session.secure && target.securityMode !== 'none') {
    throw new SmtpTestError('EPLAINTEXT_AUTH', 'The connection is not encrypted (the server offers no STARTTLS), so the credentials were not sent.');
  }
  const offered = authMechanisms(session.capabilities);
  if (!offered) throw new SmtpTestError('ENOAUTH', 'The server does not offer AUTH in its EHLO reply.');
  if (auth.type === 'basic') {
    const mechanism = ['PLAIN', 'LOGIN'].find((m) => offered.includes(m));
    if (!mechanism) throw new SmtpTestError('ENOMECH', `The server offers AUTH ${offered.join(' ')}, but neither PLAIN nor LOGIN.`);
    await deadline.race(session.loginBasic(auth.user, auth.pass));
    return steps.ok('auth', `Authenticated as ${auth.user} with ${mechanism}.`);
  }
  if (!offered.includes('XOAUTH2')) throw new SmtpTestError('ENOMECH', `The server offers AUTH ${offered.join(' ')}, but not XOAUTH2.`);
  let token: string;
  try {
    token = await deadline.race(auth.accessToken());
  } catch (e) {
    if (e instanceof SmtpTestError) throw e;
    throw new SmtpTestError('ETOKEN', `Could not get an access token: ${e instanceof Error ? e.message : String(e)}`);
  }
  secrets.push(...secretVariants(auth.user, token));
  await deadline.race(session.loginXoauth2(auth.user, token));
  steps.ok('auth', `Authenticated as ${auth.user} with XOAUTH2.`);
}

function tlsDetail(how: string, info: TlsInfo | undefined): string {
  if (!info) return `${how}: connection encrypted.`;
  const cert = info.subject ? ` Certificate for ${info.subject}${info.issuer ? ` issued by ${info.issuer}` : ''}` : ' Certificate';
  const trust = info.authorized
    ? ', trusted.'
    : `, NOT trusted (${info.authorizationError ?? 'unknown reason'}); accepted because "allow self-signed" is ticked.`;
  const name = info.nameMatches ? '' : ' Warning: it is not issued for the host name entered.';
  return `${how}: ${info.protocol}, ${info.cipher}.${cert}${trust}${name}`;
}
