/**
 * The SMTP relay: a submission listener (nodemailer's smtp-server) for systems that only speak SMTP.
 * Who may send is decided per store (lib/relay/credentials.ts); a message is answered 250 only once
 * it is in the outbox, and 451 with the reason while the store cannot send. Started by `npm start`
 * beside the console, in the same process; its state is `relayStatus()`.
 */
import type net from 'node:net';
import {
  SMTPServer,
  type SMTPServerAddress,
  type SMTPServerAuthentication,
  type SMTPServerDataStream,
  type SMTPServerSession,
} from 'smtp-server';
import type { Env } from '@/lib/env';
import { logger } from '@/lib/log';
import { normaliseIp } from '@/lib/net/ip';
import { enqueue } from '@/lib/outbox/enqueue';
import { storeReadiness } from '@/lib/outbox/readiness';
import { db } from '@/lib/db';
import { failureCounter, formatRetry } from '@/lib/rate-limit';
import { authenticateRelay, openRelayFor, type RelaySender } from '@/lib/relay/credentials';
import { MAX_RELAY_RECIPIENTS } from '@/lib/relay/limits';
import { prepareMessage } from '@/lib/relay/message';
import { isOneTimeUsername, redeemOneTimeLogin } from '@/lib/relay/one-time';
import { keepCertificateRecorded } from '@/lib/relay/certificate-record';
import { setRelayStatus, type RelayListener, type RelayStatus } from '@/lib/relay/status';
import { loadRelayTls } from '@/lib/relay/tls';

/** How long an idle client may stay connected. */
const SOCKET_TIMEOUT_MS = 120_000;

export type RelayConfig = {
  /** Plain ports (STARTTLS offered) and implicit-TLS ports; 0 picks a free port (tests). */
  ports: { port: number; implicitTls: boolean }[];
  /** Interface to listen on; all when absent. */
  bindHost?: string;
  /** The name in the greeting and Received headers, and the host clients are told to use. */
  hostname: string;
  certFile?: string;
  keyFile?: string;
  dataDir: string;
  allowPlainAuth: boolean;
  maxMessageBytes: number;
  /** Failed AUTH attempts per client address per 15 minutes before AUTH is refused (454) and connections get 421. */
  authFailures: number;
};

export type Relay = {
  status: () => RelayStatus;
  /** New commands are answered 421; messages being received finish within `timeoutMs`. */
  stop: (timeoutMs: number) => Promise<void>;
};

/**
 * `npm start`'s relay: from the environment, off when RELAY_PORT=0. Never throws: a relay that
 * cannot start leaves the console running and says why in its status.
 */
export async function startRelayFromEnv(env: Env): Promise<Relay> {
  const config = relayConfigFromEnv(env);
  if (!config) {
    setRelayStatus({ state: 'off' });
    return { status: () => ({ state: 'off' }), stop: async () => undefined };
  }
  try {
    return await startRelay(config);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    logger.error({ err: error }, 'relay: not started');
    const failed: RelayStatus = {
      state: 'failed',
      hostname: config.hostname,
      bindHost: config.bindHost ?? '',
      listeners: [],
      error,
      plainAuthAllowed: config.allowPlainAuth,
      maxMessageBytes: config.maxMessageBytes,
      since: new Date().toISOString(),
    };
    setRelayStatus(failed);
    return { status: () => failed, stop: async () => undefined };
  }
}

/** The relay's settings from the environment; null when RELAY_PORT=0 turns it off. */
export function relayConfigFromEnv(env: Env): RelayConfig | null {
  if (!env.RELAY_PORT) return null;
  const ports = [{ port: env.RELAY_PORT, implicitTls: false }];
  if (env.RELAY_TLS_PORT) ports.push({ port: env.RELAY_TLS_PORT, implicitTls: true });
  return {
    ports,
    ...(env.RELAY_HOST && { bindHost: env.RELAY_HOST }),
    hostname: env.RELAY_HOSTNAME || new URL(env.APP_URL).hostname,
    ...(env.RELAY_TLS_CERT_FILE && { certFile: env.RELAY_TLS_CERT_FILE }),
    ...(env.RELAY_TLS_KEY_FILE && { keyFile: env.RELAY_TLS_KEY_FILE }),
    dataDir: env.DATA_DIR,
    allowPlainAuth: env.RELAY_ALLOW_PLAIN_AUTH,
    maxMessageBytes: Math.round(env.RELAY_MAX_MESSAGE_MB * 1024 * 1024),
    authFailures: env.RELAY_AUTH_FAILURES,
  };
}

/** An SMTP reply: `code` and text that starts with its enhanced status code. */
const reply = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

const LISTEN_ERRORS: Record<string, (port: number, host?: string) => string> = {
  EADDRINUSE: (port) =>
    `port ${port} is already in use by another program (EADDRINUSE). Stop that program or choose another port (RELAY_PORT / RELAY_TLS_PORT).`,
  EACCES: (port) =>
    `port ${port} needs privileges this process does not have (EACCES). Use a port above 1023 such as 2525, or forward the port to it.`,
  EADDRNOTAVAIL: (_port, host) => `${host ?? 'the address'} is not an address of this machine (EADDRNOTAVAIL): check RELAY_HOST.`,
};

function listenError(err: NodeJS.ErrnoException, port: number, host?: string): string {
  const explain = err.code ? LISTEN_ERRORS[err.code] : undefined;
  return explain ? explain(port, host) : `${err.code ?? 'error'}: ${err.message}`;
}

type Transaction = {
  sender: RelaySender;
  envelopeFrom: string;
  store: { address: string; name?: string; storeName: string };
  transport: 'smtp' | 'graph';
};

/**
 * Microsoft Graph's sendMail takes a request of 4 MB at most; MIME goes base64-encoded (4/3 larger),
 * so a relayed message through Graph is refused here rather than failing later in the queue.
 */
export const GRAPH_MAX_MIME_BYTES = Math.floor(((4 * 1024 * 1024) / 4) * 3) - 64 * 1024;

export async function startRelay(config: RelayConfig): Promise<Relay> {
  const since = new Date().toISOString();
  const base = {
    hostname: config.hostname,
    bindHost: config.bindHost ?? '',
    plainAuthAllowed: config.allowPlainAuth,
    maxMessageBytes: config.maxMessageBytes,
    since,
  };
  let status: RelayStatus = { state: 'starting', ...base, listeners: [] };
  const publish = (s: RelayStatus) => {
    status = s;
    setRelayStatus(s);
  };
  publish(status);

  let tls: Awaited<ReturnType<typeof loadRelayTls>>;
  try {
    tls = await loadRelayTls(config);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    logger.error({ err: error }, 'relay: not started, the certificate cannot be used');
    publish({ state: 'failed', ...base, listeners: [], error });
    return { status: () => status, stop: async () => undefined };
  }

  const authLimit = failureCounter('relay-auth', config.authFailures, 15 * 60);
  /** Who is sending in each session (a credential or the unauthenticated relay), by session id. */
  const senders = new Map<string, RelaySender>();
  const transactions = new Map<string, Transaction>();
  /** Sessions in the middle of DATA: a stop lets them finish. */
  const receiving = new Set<string>();
  const servers: SMTPServer[] = [];
  let stopping = false;

  const ipOf = (session: SMTPServerSession) => normaliseIp(session.remoteAddress) ?? session.remoteAddress;

  async function blockedReply(ip: string, code: 421 | 454) {
    const limit = await authLimit.check(ip);
    if (limit.allowed) return null;
    return reply(
      code,
      `4.7.0 Too many failed logins from ${ip}: try again in ${formatRetry(limit.retryAfterSeconds)}. Check the username and password saved in the sending system.`,
    );
  }

  const handlers = {
    onConnect(session: SMTPServerSession, cb: (err?: Error | null) => void) {
      if (stopping) return cb(reply(421, '4.3.2 Mailroom is stopping; try again in a moment.'));
      blockedReply(ipOf(session), 421).then(
        (refused) => cb(refused),
        (err: unknown) => {
          logger.warn({ err: String(err) }, 'relay: could not check the AUTH failure limit');
          cb();
        },
      );
    },

    onAuth(
      auth: SMTPServerAuthentication,
      session: SMTPServerSession,
      cb: (err: Error | null | undefined, response?: { user?: string }) => void,
    ) {
      const ip = ipOf(session);
      const username = auth.username ?? '';
      const password = auth.password ?? '';
      void (async () => {
        const blocked = await blockedReply(ip, 454);
        if (blocked) return cb(blocked);
        if (isOneTimeUsername(username)) {
          const sender = redeemOneTimeLogin(username, password);
          if (sender) {
            senders.set(session.id, sender);
            return cb(null, { user: username });
          }
        } else {
          const outcome = await authenticateRelay(username, password, ip);
          if (outcome.ok) {
            await authLimit.reset(ip);
            senders.set(session.id, outcome.sender);
            return cb(null, { user: username });
          }
          if (outcome.reason === 'source') {
            await authLimit.fail(ip);
            logger.warn({ username, ip }, 'relay: credential used from an address it is not allowed from');
            return cb(reply(535, `5.7.8 The relay credential “${username}” may not be used from ${ip}.`));
          }
        }
        await authLimit.fail(ip);
        logger.info({ username: username.slice(0, 64), ip }, 'relay: AUTH failed');
        cb(reply(535, '5.7.8 Authentication failed: wrong username or password, or the credential was revoked.'));
      })().catch((err: unknown) => {
        logger.error({ err: err instanceof Error ? err.message : String(err) }, 'relay: AUTH could not be checked');
        cb(reply(454, '4.7.0 Mailroom cannot check credentials right now (its database is not answering). Try again later.'));
      });
    },

    onMailFrom(address: SMTPServerAddress, session: SMTPServerSession, cb: (err?: Error | null) => void) {
      const ip = ipOf(session);
      void (async () => {
        const sender = senders.get(session.id) ?? (await openRelayFor(ip));
        if (!sender)
          return cb(
            reply(
              530,
              `5.7.0 Authentication required: log in with a relay credential (after STARTTLS), or ask an admin to allow unauthenticated relay from ${ip}.`,
            ),
          );
        const ready = await storeReadiness(sender.storeId);
        if (!ready.ok) return cb(reply(451, `4.3.0 ${ready.reason} Nothing was accepted; keep the message and try again later.`));
        if (ready.paused)
          return cb(reply(451, `4.3.0 ${ready.paused} Nothing was accepted; keep the message and try again later.`));
        const given = address.address;
        if (given.toLowerCase() !== ready.from.address.toLowerCase() && sender.fromPolicy === 'refuse')
          return cb(
            reply(
              550,
              `5.7.1 Sender <${given}> is not allowed: the relay sends only as ${ready.from.address} for “${ready.storeName}”. ` +
                'Use that address as the sender, or ask an admin to rewrite senders for this credential.',
            ),
          );
        transactions.set(session.id, {
          sender,
          envelopeFrom: ready.from.address,
          store: { ...ready.from, storeName: ready.storeName },
          transport: ready.transport,
        });
        cb();
      })().catch((err: unknown) => {
        logger.error({ err: err instanceof Error ? err.message : String(err) }, 'relay: MAIL FROM could not be checked');
        cb(reply(451, '4.3.0 Mailroom cannot accept messages right now (its database is not answering). Try again later.'));
      });
    },

    onRcptTo(_address: SMTPServerAddress, session: SMTPServerSession, cb: (err?: Error | null) => void) {
      if (session.envelope.rcptTo.length >= MAX_RELAY_RECIPIENTS)
        return cb(
          reply(452, `4.5.3 Too many recipients: at most ${MAX_RELAY_RECIPIENTS} per message; send the rest separately.`),
        );
      cb();
    },

    onData(stream: SMTPServerDataStream, session: SMTPServerSession, cb: (err?: Error | null, message?: string) => void) {
      const tx = transactions.get(session.id);
      const chunks: Buffer[] = [];
      receiving.add(session.id);
      const done = (err?: Error | null, message?: string) => {
        receiving.delete(session.id);
        cb(err, message);
      };
      stream.on('data', (c: Buffer) => {
        // Past the limit smtp-server answers 552 itself; nothing more is kept.
        if (!stream.sizeExceeded) chunks.push(c);
      });
      // A client that disconnects mid-DATA destroys the stream: 'end' never comes, nothing is queued.
      stream.on('error', () => receiving.delete(session.id));
      stream.on('close', () => receiving.delete(session.id));
      stream.on('end', () => {
        if (stream.sizeExceeded) return done(reply(552, `5.3.4 Message too big: the limit is ${config.maxMessageBytes} bytes.`));
        if (!tx) return done(reply(503, '5.5.1 MAIL FROM first.'));
        accept(Buffer.concat(chunks), tx, session).then(
          (r) => done(r.error ?? null, r.message),
          (err: unknown) => {
            logger.error({ err: err instanceof Error ? err.message : String(err) }, 'relay: message could not be queued');
            done(reply(451, '4.3.0 Mailroom could not queue the message (its database is not answering). Try again later.'));
          },
        );
      });
    },

    onClose(session: SMTPServerSession) {
      senders.delete(session.id);
      transactions.delete(session.id);
      receiving.delete(session.id);
    },
  };

  async function accept(raw: Buffer, tx: Transaction, session: SMTPServerSession): Promise<{ error?: Error; message?: string }> {
    const recipients = session.envelope.rcptTo.map((r) => r.address);
    if (tx.transport === 'graph' && raw.length > GRAPH_MAX_MIME_BYTES)
      return {
        error: reply(
          552,
          `5.3.4 Message too big for Microsoft Graph, which this store sends through: at most ${GRAPH_MAX_MIME_BYTES} bytes.`,
        ),
      };
    const prepared = prepareMessage(raw, {
      store: tx.store,
      fromPolicy: tx.sender.fromPolicy,
      received: {
        helo: session.hostNameAppearsAs ?? '',
        ip: ipOf(session),
        by: config.hostname,
        protocol: session.transmissionType || 'ESMTP',
        id: session.id,
        ...(recipients.length === 1 && { for: recipients[0] }),
        at: new Date(),
      },
    });
    if ('refused' in prepared) return { error: reply(550, `5.7.1 ${prepared.refused}`) };
    try {
      const queued = await enqueue(
        tx.sender.storeId,
        {
          kind: 'relay',
          source: tx.sender.source,
          ...(tx.sender.credentialId && { relayCredentialId: tx.sender.credentialId }),
          clientAddress: ipOf(session),
        },
        {
          raw: prepared.raw,
          envelope: { from: tx.envelopeFrom, to: recipients },
          messageId: prepared.messageId,
          subject: prepared.subject,
          to: prepared.to,
          cc: prepared.cc,
        },
      );
      logger.debug({ storeId: tx.sender.storeId, outboxId: queued.id, source: tx.sender.source }, 'relay: message queued');
      return { message: `2.0.0 Queued as ${queued.id}` };
    } catch (err) {
      if ((err as { code?: string }).code !== 'P2002') throw err;
      // The same Message-ID again: a client that did not see our 250 and sent the message a second time.
      const earlier = await db.outboxMessage.findUnique({
        where: { messageId: prepared.messageId },
        select: { id: true, storeId: true },
      });
      if (earlier?.storeId === tx.sender.storeId) return { message: `2.0.0 Already queued as ${earlier.id} (same Message-ID)` };
      return {
        error: reply(
          554,
          `5.6.0 A message with Message-ID ${prepared.messageId} was already accepted; give each message its own.`,
        ),
      };
    }
  }

  const listeners: RelayListener[] = [];
  for (const p of config.ports) {
    const server = new SMTPServer({
      name: config.hostname,
      banner: 'Mailroom relay',
      secure: p.implicitTls,
      key: tls.key,
      cert: tls.cert,
      size: config.maxMessageBytes,
      authMethods: ['PLAIN', 'LOGIN'],
      // MAIL FROM decides: a credential, or an address the store allows without one.
      authOptional: true,
      allowInsecureAuth: config.allowPlainAuth,
      // Replies carry their own enhanced status codes (5.7.1 for a refused sender, not smtp-server's 5.1.1).
      hideENHANCEDSTATUSCODES: true,
      hideDSN: true,
      disableReverseLookup: true,
      socketTimeout: SOCKET_TIMEOUT_MS,
      logger: false,
      ...handlers,
    });
    if (!config.allowPlainAuth) offerAuthOnlyOverTls(server);
    server.on('error', (err) => logger.warn({ err: err.message }, 'relay: connection error'));
    const listener: RelayListener = { port: p.port, implicitTls: p.implicitTls, listening: false };
    try {
      listener.port = await listen(server.server, p.port, config.bindHost);
      listener.listening = true;
      servers.push(server);
    } catch (err) {
      listener.error = listenError(err as NodeJS.ErrnoException, p.port, config.bindHost);
      logger.error({ port: p.port }, `relay: not listening: ${listener.error}`);
    }
    listeners.push(listener);
  }
  publish({ state: servers.length ? 'listening' : 'failed', ...base, listeners, certificate: tls.info });
  const listeningPorts = listeners.filter((l) => l.listening).map((l) => l.port);
  // For the certificate expiry alert, wherever the alert check runs.
  const recorded = servers.length
    ? await keepCertificateRecorded(tls.info, { hostname: config.hostname, ports: listeningPorts })
    : null;
  if (servers.length) logger.info({ ports: listeningPorts, fingerprint256: tls.info.fingerprint256 }, 'relay listening');

  return {
    status: () => status,
    stop: async (timeoutMs) => {
      if (stopping) return;
      stopping = true;
      publish({ state: 'stopping', ...base, listeners, certificate: tls.info });
      await Promise.all([...servers.map((s) => closeServer(s, receiving, timeoutMs)), recorded?.stop()]);
      publish({ state: 'stopped', ...base, listeners, certificate: tls.info });
    },
  };
}

function listen(server: net.Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/** What this module uses of smtp-server's connection objects (not in its type definitions). */
type Connection = {
  session: SMTPServerSession;
  secure: boolean;
  send: (code: number, text: string) => void;
  close: () => void;
  handler_EHLO: (command: Buffer, cb: () => void) => void;
  _isSupported: (command: string) => boolean;
};

/**
 * smtp-server lists AUTH in EHLO before STARTTLS too (and then refuses it with 538): this relay
 * offers AUTH only on an encrypted connection, so a client never sees it where it must not use it.
 */
function offerAuthOnlyOverTls(server: SMTPServer): void {
  const connections = server.connections as Set<Connection>;
  const add = connections.add.bind(connections);
  connections.add = (c: Connection) => {
    const ehlo = c.handler_EHLO;
    const isSupported = c._isSupported;
    c.handler_EHLO = function (this: Connection, command, cb) {
      if (this.secure) return ehlo.call(this, command, cb);
      this._isSupported = (cmd) => cmd !== 'AUTH' && isSupported.call(this, cmd);
      try {
        return ehlo.call(this, command, cb);
      } finally {
        this._isSupported = isSupported;
      }
    };
    return add(c);
  };
}

/** Idle clients get 421 now; a client sending a message finishes it (then gets 421) within `timeoutMs`. */
function closeServer(server: SMTPServer, receiving: Set<string>, timeoutMs: number): Promise<void> {
  for (const c of server.connections as Set<Connection>) {
    if (receiving.has(c.session.id)) continue;
    c.send(421, '4.3.2 Mailroom is stopping; try again in a moment.');
  }
  return new Promise((resolve) => {
    (server as unknown as { options: { closeTimeout: number } }).options.closeTimeout = Math.max(1, timeoutMs);
    server.close(() => resolve());
  });
}
