/**
 * "Send a test through the relay": a real SMTP client (nodemailer) connects to this process's own
 * listener with a one-time login, sends one message the way a helpdesk would, and then waits for
 * the outbox to deliver it — so the admin sees the whole path, listener to mailbox.
 */
import fs from 'node:fs';
import nodemailer from 'nodemailer';
import { messageStatus } from '@/lib/outbox/status';
import { waitForSettled } from '@/lib/outbox/signals';
import { storeReadiness } from '@/lib/outbox/readiness';
import { issueOneTimeLogin } from '@/lib/relay/one-time';
import { describeRelayStatus, relayStatus } from '@/lib/relay/status';

export type RelayTestStep = { label: string; ok: boolean; detail: string };
export type RelayTestResult = { ok: boolean; steps: RelayTestStep[]; outboxId?: string };

/** How long the test waits for the upstream server's answer after the relay accepted the message. */
const DELIVERY_WAIT_MS = 25_000;

export async function testThroughRelay(storeId: string, to: string, actorEmail: string): Promise<RelayTestResult> {
  const steps: RelayTestStep[] = [];
  const fail = (label: string, detail: string): RelayTestResult => ({
    ok: false,
    steps: [...steps, { label, ok: false, detail }],
  });

  const s = relayStatus();
  const listener =
    s.state === 'listening'
      ? (s.listeners.find((l) => l.listening && !l.implicitTls) ?? s.listeners.find((l) => l.listening))
      : undefined;
  if (s.state !== 'listening' || !listener) return fail('Listener', describeRelayStatus(s));
  const host = s.bindHost && !['0.0.0.0', '::'].includes(s.bindHost) ? s.bindHost : '127.0.0.1';
  steps.push({
    label: 'Listener',
    ok: true,
    detail: `Connecting to ${host}:${listener.port} (${listener.implicitTls ? 'implicit TLS' : 'STARTTLS'}) as a client would.`,
  });

  const ready = await storeReadiness(storeId);
  // The sender is the store's own address; a store that is not set up is answered 451 by the relay, as any client would be.
  const from = ready.ok ? ready.from.address : 'mailroom-relay-test@invalid.example';
  const login = issueOneTimeLogin({ storeId, source: `relay test by ${actorEmail}`, fromPolicy: 'refuse' });
  const selfSigned = s.certificate?.source === 'self-signed';
  const transport = nodemailer.createTransport({
    host,
    port: listener.port,
    secure: listener.implicitTls,
    requireTLS: !listener.implicitTls,
    // Our own certificate: pinned when self-signed; otherwise checked against the name clients use.
    tls: selfSigned && s.certificate ? { ca: fs.readFileSync(s.certificate.certFile, 'utf8') } : { servername: s.hostname },
    auth: { user: login.username, pass: login.password },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  let response: string;
  try {
    const info = await transport.sendMail({
      from,
      to,
      subject: 'Mailroom relay test',
      text:
        `This message was sent through Mailroom's SMTP relay by ${actorEmail} with "Send a test through the relay".\n\n` +
        'It took the same path as mail from a helpdesk, printer or script: SMTP submission with STARTTLS and AUTH, the outbox, ' +
        'then the store’s saved connection.',
    });
    response = info.response;
  } catch (err) {
    const e = err as { response?: string; message?: string };
    return fail('Relay', e.response ?? e.message ?? String(err));
  } finally {
    transport.close();
  }
  const outboxId = /Queued as (\S+)/.exec(response)?.[1];
  steps.push({ label: 'Relay', ok: true, detail: `TLS, AUTH and DATA accepted: ${response}` });
  if (!outboxId) return { ok: false, steps };

  await waitForSettled(outboxId, DELIVERY_WAIT_MS);
  const m = await messageStatus(outboxId, storeId);
  if (m?.state === 'sent') {
    steps.push({
      label: 'Delivery',
      ok: true,
      detail: `The ${m.transport === 'graph' ? 'Microsoft Graph' : 'SMTP server'} accepted it${m.queueId ? ` (queue id ${m.queueId})` : ''}.`,
    });
    return { ok: true, steps, outboxId };
  }
  const why = m?.paused ?? m?.lastError?.detail ?? 'no answer from the server yet';
  steps.push({
    label: 'Delivery',
    ok: false,
    detail:
      m?.state === 'failed'
        ? `Failed: ${why}`
        : `Not delivered yet (${m?.state ?? 'unknown'}): ${why}. The message stays in the queue; see the Delivery log.`,
  });
  return { ok: false, steps, outboxId };
}
