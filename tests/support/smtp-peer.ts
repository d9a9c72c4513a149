/**
 * Real SMTP peers on 127.0.0.1:0 for the mail tests: an smtp-server with injectable replies, and
 * raw sockets that misbehave (never greet, or stop answering after EHLO).
 */
import net from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { Logger } from 'nodemailer/lib/shared';
import { selfSignedCert } from '@/tests/support/tls';

export type ReceivedMessage = {
  from: string;
  to: string[];
  user?: string;
  raw: string;
  headers: Record<string, string>;
  body: string;
  /** Date.now() when DATA ended */
  receivedAt: number;
};

export type Peer = {
  port: number;
  messages: ReceivedMessage[];
  /** SMTP command verbs the server received, in order (AUTH, MAIL, STARTTLS, …). */
  commands: string[];
  readonly connections: number;
  /** Changes how the peer behaves from now on (e.g. refuse, then recover). */
  behave(o: Partial<PeerOptions>): void;
  close(): Promise<void>;
};

export type PeerOptions = {
  secure?: boolean;
  /** Offer STARTTLS (a certificate is always loaded unless false). */
  starttls?: boolean;
  authMethods?: string[];
  authOptional?: boolean;
  allowInsecureAuth?: boolean;
  users?: Record<string, string>;
  tokens?: Record<string, string>;
  /** Decides XOAUTH2 logins instead of `tokens`, e.g. by asking the test OAuth server. */
  validateToken?: (user: string, token: string) => boolean;
  /** Reply for rejected credentials, e.g. { code: 535, text: '5.7.3 Authentication unsuccessful' }. */
  authFailure?: { code: number; text: string };
  rcptReply?: { code: number; text: string };
  /** Refuse only these recipients with 550 5.1.1 (the others are accepted). */
  unknownRecipients?: string[];
  dataReply?: { code: number; text: string };
  /** Replies used once each, in order, at the end of DATA before `dataReply` applies (e.g. one 421, then accept). */
  dataRepliesOnce?: { code: number; text: string }[];
  /** Wait this long before answering the end of DATA (a slow server). */
  dataDelayMs?: number;
  queueId?: string;
};

const smtpError = (r: { code: number; text: string }) => Object.assign(new Error(r.text), { responseCode: r.code });

/** "Key: value" headers of a raw message, unfolded, keys lower-cased (mailparser is not installed). */
export function parseHeaders(raw: string): { headers: Record<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { headers, body: raw.slice(split + 4) };
}

function commandLogger(commands: string[]): Logger {
  const handle = (entry: unknown) => {
    const e = entry as { tnx?: unknown; command?: unknown } | undefined;
    if (e?.tnx === 'command' && typeof e.command === 'string') commands.push(e.command.toUpperCase());
  };
  return {
    level: () => undefined,
    trace: handle,
    debug: handle,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    fatal: () => undefined,
  };
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

export async function startSmtpPeer(initial: PeerOptions = {}): Promise<Peer> {
  const o: PeerOptions = { ...initial, dataRepliesOnce: [...(initial.dataRepliesOnce ?? [])] };
  const { key, cert } = await selfSignedCert();
  const messages: ReceivedMessage[] = [];
  const commands: string[] = [];
  let connections = 0;
  const options: SMTPServerOptions = {
    secure: o.secure ?? false,
    key,
    cert,
    hideSTARTTLS: o.starttls === false,
    authMethods: o.authMethods ?? ['PLAIN', 'LOGIN', 'XOAUTH2'],
    authOptional: o.authOptional ?? false,
    allowInsecureAuth: o.allowInsecureAuth ?? false,
    logger: commandLogger(commands),
    onAuth(auth, _session, cb) {
      const ok =
        auth.method === 'XOAUTH2'
          ? !!auth.username &&
            (o.validateToken
              ? o.validateToken(auth.username, auth.accessToken ?? '')
              : o.tokens?.[auth.username] === auth.accessToken)
          : !!auth.username && o.users?.[auth.username] === auth.password;
      if (ok) return cb(null, { user: auth.username });
      if (auth.method === 'XOAUTH2' && !o.authFailure) return cb(null, { data: { status: '401', schemes: 'bearer' } });
      cb(smtpError(o.authFailure ?? { code: 535, text: 'Authentication failed' }));
    },
    onRcptTo(_address, _session, cb) {
      if (o.unknownRecipients?.includes(_address.address)) return cb(smtpError({ code: 550, text: '5.1.1 User unknown' }));
      cb(o.rcptReply ? smtpError(o.rcptReply) : null);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => void answer());
      const answer = async () => {
        if (o.dataDelayMs) await new Promise((r) => setTimeout(r, o.dataDelayMs));
        const once = o.dataRepliesOnce?.shift();
        if (once) return cb(smtpError(once));
        if (o.dataReply) return cb(smtpError(o.dataReply));
        const raw = Buffer.concat(chunks).toString('utf8');
        const mailFrom = session.envelope.mailFrom;
        messages.push({
          from: mailFrom ? mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === 'string' ? session.user : undefined,
          raw,
          ...parseHeaders(raw),
          receivedAt: Date.now(),
        });
        cb(null, `Ok: queued as ${o.queueId ?? 'Q1A2B3C4'}`);
      };
    },
  };
  const server = new SMTPServer(options);
  // Clients that abort a TLS handshake (the untrusted-certificate tests) surface as server errors.
  server.on('error', () => undefined);
  server.server.on('connection', () => connections++);
  const port = await listen(server.server);
  return {
    port,
    messages,
    commands,
    get connections() {
      return connections;
    },
    behave: (change) => Object.assign(o, change),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The banner an OpenSSH server sends first: a service that is not SMTP, on a port Test Server may be pointed at. */
export const SSH_BANNER = 'SSH-2.0-OpenSSH_9.6p1 Debian-3+internal-bastion';

/**
 * A raw TCP peer: "silent" accepts and never greets; "hang-after-ehlo" greets, answers EHLO, then
 * never answers again; "ssh" sends SSH_BANNER and waits, like an SSH server; "refuse" greets with
 * 554 5.7.1 (an SMTP server that refuses this client).
 */
export async function startRawPeer(behaviour: 'silent' | 'hang-after-ehlo' | 'ssh' | 'refuse'): Promise<Peer> {
  const commands: string[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    if (behaviour === 'silent') return;
    if (behaviour === 'ssh') return void socket.write(`${SSH_BANNER}\r\n`);
    if (behaviour === 'refuse') return void socket.end('554 5.7.1 Client host blocked\r\n');
    socket.write('220 hang.test ESMTP\r\n');
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      let nl: number;
      while ((nl = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 2);
        commands.push(line.split(' ')[0].toUpperCase());
        if (/^EHLO /i.test(line)) socket.write('250-hang.test\r\n250-SIZE 1000000\r\n250 AUTH PLAIN LOGIN\r\n');
      }
    });
  });
  const port = await listen(server);
  return {
    port,
    messages: [],
    commands,
    get connections() {
      return connections;
    },
    behave: () => undefined,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
