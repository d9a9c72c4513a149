/**
 * One SMTP session for Test Server. We open the TCP socket (to the IP the policy checked) and do
 * implicit TLS ourselves, then hand the socket to nodemailer's SMTPConnection for the dialogue;
 * its transaction log is our transcript and tells us when each step completes.
 */
import type net from 'node:net';
import tls from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import XOAuth2 from 'nodemailer/lib/xoauth2';
import type { Logger } from 'nodemailer/lib/shared';
import { seconds } from '@/lib/mail/classify';
import { connectTcp } from '@/lib/mail/tcp';
import type { Transcript } from '@/lib/mail/transcript';
import { SendError } from '@/lib/mail/types';

export type Limits = { connectMs: number; greetingMs: number; socketMs: number; totalMs: number };

export type SessionEvent = { type: 'server'; reply: string; after: string } | { type: 'upgraded' };

export type TlsInfo = {
  protocol: string;
  cipher: string;
  subject?: string;
  issuer?: string;
  authorized: boolean;
  authorizationError?: string;
  /** Checked separately: with "allow self-signed" Node skips the name check along with the chain check. */
  nameMatches: boolean;
};

type SessionOptions = {
  ip: string;
  port: number;
  /** Host name the certificate must match; undefined when the admin entered an IP. */
  servername?: string;
  allowSelfSigned: boolean;
  ehloName?: string;
  limits: Limits;
  transcript: Transcript;
  onEvent: (event: SessionEvent) => void;
};

/** RFC 5321 4.3.1: a server greets with 220, or refuses the session with 554 (421 when it is shutting down). */
const SMTP_GREETING = /^(220|421|554)(?:[ -]|$)/;

const settle = <T>(run: (resolve: (v: T) => void, reject: (e: Error) => void) => void) => new Promise<T>(run);

export class SmtpSession {
  connections = 0;
  sawServerReply = false;
  /** Last command verb sent, credentials never included (`AUTH PLAIN`, `MAIL FROM`, …). */
  lastCommand: string | undefined;
  capabilities: string[] = [];
  private socket: net.Socket | undefined;
  private conn: SMTPConnection | undefined;
  private done = false;
  /** SASL continuation lines are credentials, not commands: they must not become `lastCommand`. */
  private inSasl = false;
  /** The first bytes were not an SMTP greeting: some other service (SSH, HTTP…) answered, and what it said is not repeated. */
  private notSmtp = false;
  private failWith: (e: Error) => void = () => undefined;
  /** Rejects on the first connection error or unexpected close; every operation races it. */
  private readonly failure = new Promise<never>((_, reject) => (this.failWith = reject));

  constructor(private readonly o: SessionOptions) {
    this.failure.catch(() => undefined);
  }

  get where(): string {
    const ip = this.o.ip.includes(':') ? `[${this.o.ip}]` : this.o.ip;
    return `${this.o.servername ? `${this.o.servername} (${ip})` : ip}:${this.o.port}`;
  }

  async openTcp(): Promise<void> {
    this.socket = await connectTcp({ ip: this.o.ip, port: this.o.port, timeoutMs: this.o.limits.connectMs, where: this.where });
    this.connections++;
    this.socket.on('error', () => undefined); // until nodemailer attaches its own handler
    this.o.transcript.note(`connected to ${this.where}`);
  }

  /** Implicit TLS (port 465 style), before any SMTP byte. */
  async startTls(): Promise<TlsInfo> {
    const plain = this.requireSocket();
    const secure = await settle<tls.TLSSocket>((resolve, reject) => {
      const s = tls.connect({
        socket: plain,
        host: this.o.ip,
        servername: this.o.servername,
        rejectUnauthorized: !this.o.allowSelfSigned,
      });
      const timer = setTimeout(() => {
        s.destroy();
        reject(
          new SendError(
            'ENOGREETING',
            `Connected to ${this.where}, but the TLS handshake got no answer within ${seconds(this.o.limits.greetingMs)}.`,
          ),
        );
      }, this.o.limits.greetingMs);
      s.once('error', (e) => (clearTimeout(timer), reject(e)));
      s.once('secureConnect', () => (clearTimeout(timer), s.removeAllListeners('error'), resolve(s)));
    });
    secure.on('error', () => undefined);
    this.socket = secure;
    const info = describeTls(secure, this.expectedName);
    this.o.transcript.note(`TLS established (${info.protocol}, ${info.cipher})`);
    return info;
  }

  /** Greeting, EHLO, and STARTTLS when the server offers it and `ignoreTLS` is false. */
  async greetAndEhlo(opts: { secured: boolean; ignoreTLS: boolean }): Promise<void> {
    // `secured` is documented in smtp-connection/index.js but missing from @types/nodemailer.
    const options: SMTPConnection.Options & { secured?: boolean } = {
      connection: this.requireSocket(),
      secure: opts.secured,
      secured: opts.secured,
      ignoreTLS: opts.ignoreTLS,
      name: this.o.ehloName,
      host: this.o.ip,
      port: this.o.port,
      tls: { ...(this.o.servername && { servername: this.o.servername }), rejectUnauthorized: !this.o.allowSelfSigned },
      connectionTimeout: this.o.limits.connectMs,
      greetingTimeout: this.o.limits.greetingMs,
      socketTimeout: this.o.limits.socketMs,
      logger: this.logger(),
      transactionLog: true,
    };
    const conn = new SMTPConnection(options);
    this.conn = conn;
    conn.on('error', (e) => this.failWith(this.notSmtp ? this.notSmtpError() : e));
    conn.on('end', () => {
      if (this.done) return;
      const detail = this.sawServerReply
        ? 'The server closed the connection.'
        : `The server at ${this.where} closed the connection without a greeting.`;
      this.failWith(new SendError('ECONNECTION', detail, undefined, this.o.transcript.lastReply()));
    });
    await this.guard(settle<void>((resolve) => conn.connect(() => resolve())));
  }

  private notSmtpError(): SendError {
    return new SendError(
      'ENOTSMTP',
      `Something answered at ${this.where}, but not with an SMTP greeting: this is not an SMTP server (or not on this port). What it sent is not shown.`,
      'connect',
    );
  }

  private get expectedName(): string {
    return this.o.servername ?? this.o.ip;
  }

  get secure(): boolean {
    return this.conn?.secure ?? false;
  }

  /** Encrypted, with a certificate that chains to a trusted root and is issued for the host name. */
  get certificateTrusted(): boolean {
    const info = this.tlsInfo();
    return !!info && info.authorized && info.nameMatches;
  }

  tlsInfo(): TlsInfo | undefined {
    // @types/nodemailer exposes `_socket`; after STARTTLS it is the upgraded TLSSocket.
    const s = this.conn?._socket;
    return s instanceof tls.TLSSocket ? describeTls(s, this.expectedName) : undefined;
  }

  async loginBasic(user: string, pass: string): Promise<void> {
    const conn = this.requireConn();
    await this.guard(
      settle<void>((resolve, reject) => conn.login({ credentials: { user, pass } }, (e) => (e ? reject(e) : resolve()))),
    );
  }

  async loginXoauth2(user: string, accessToken: string): Promise<void> {
    const conn = this.requireConn();
    // No refresh here: when the server rejects the token, fail instead of retrying AUTH with it.
    const oauth2 = new XOAuth2({
      user,
      accessToken,
      provisionCallback: (_u, _renew, cb) => cb(new Error('The server rejected the access token.'), '', 0),
    });
    // login() needs the XOAuth2 instance (as SMTPTransport passes it); @types models it as plain options.
    const auth = { oauth2: oauth2 as unknown as SMTPConnection.OAuth2 };
    await this.guard(settle<void>((resolve, reject) => conn.login(auth, (e) => (e ? reject(e) : resolve()))));
  }

  async send(envelope: { from: string; to: string[] }, raw: Buffer): Promise<SMTPConnection.SentMessageInfo> {
    const conn = this.requireConn();
    return this.guard(
      settle((resolve, reject) =>
        conn.send({ ...envelope, size: raw.length }, raw, (e, info) => (e ? reject(e) : resolve(info))),
      ),
    );
  }

  /** Polite end after success: QUIT, and a hard close if the server does not hang up. */
  quit(): void {
    this.done = true;
    if (!this.conn) return this.destroy();
    const conn = this.conn;
    conn.quit();
    setTimeout(() => conn.close(), 2000).unref();
  }

  destroy(): void {
    this.done = true;
    this.conn?.close();
    this.socket?.destroy();
  }

  private guard<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.failure]);
  }

  private requireSocket(): net.Socket {
    if (!this.socket) throw new Error('SmtpSession: no socket');
    return this.socket;
  }

  private requireConn(): SMTPConnection {
    if (!this.conn) throw new Error('SmtpSession: not connected');
    return this.conn;
  }

  /** nodemailer's transaction log (`transactionLog: true`): client and server lines, body size, STARTTLS. */
  private logger(): Logger {
    const t = this.o.transcript;
    const handle = (entry: unknown, message: unknown): void => {
      const data = (typeof entry === 'object' && entry !== null ? entry : {}) as { tnx?: unknown; outByteCount?: unknown };
      if (data.tnx === 'client' && typeof message === 'string') {
        t.client(message);
        if (!this.inSasl) this.lastCommand = /^(AUTH \S+|MAIL FROM|RCPT TO|\S+)/i.exec(message)?.[1]?.toUpperCase();
        if (/^AUTH\b/i.test(message)) this.inSasl = true;
      } else if (data.tnx === 'server' && typeof message === 'string') {
        if (!this.sawServerReply && !SMTP_GREETING.test(message)) {
          this.sawServerReply = true;
          this.notSmtp = true;
          return t.note(`the server's first ${Buffer.byteLength(message)} bytes are not an SMTP greeting (not shown)`);
        }
        t.server(message);
        this.sawServerReply = true;
        if (!message.startsWith('334')) this.inSasl = false;
        if (/^EHLO|^HELO/.test(this.lastCommand ?? '') && /^25\d/.test(message)) {
          this.capabilities = message
            .split(/\r?\n/)
            .slice(1)
            .map((l) => l.replace(/^\d{3}[ -]/, '').trim())
            .filter(Boolean);
        }
        this.o.onEvent({ type: 'server', reply: message, after: this.lastCommand ?? '' });
      } else if (data.tnx === 'message' && typeof data.outByteCount === 'number') {
        t.body(data.outByteCount);
      } else if (message === 'Connection upgraded with STARTTLS') {
        const info = this.tlsInfo();
        t.note(`connection upgraded with STARTTLS${info ? ` (${info.protocol}, ${info.cipher})` : ''}`);
        this.o.onEvent({ type: 'upgraded' });
      }
    };
    return { level: () => undefined, trace: handle, debug: handle, info: handle, warn: handle, error: handle, fatal: handle };
  }
}

function describeTls(s: tls.TLSSocket, expectedName: string): TlsInfo {
  const cert = s.getPeerCertificate();
  const name = (x: unknown) => (typeof x === 'object' && x && 'CN' in x ? String(x.CN) : undefined);
  return {
    protocol: s.getProtocol() ?? 'unknown',
    cipher: s.getCipher()?.name ?? 'unknown',
    subject: name(cert?.subject),
    issuer: name(cert?.issuer),
    authorized: s.authorized,
    nameMatches: tls.checkServerIdentity(expectedName, cert) === undefined,
    ...(s.authorizationError && { authorizationError: String(s.authorizationError) }),
  };
}
