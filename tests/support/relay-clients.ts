/**
 * Real SMTP clients for the relay tests: swaks (the Debian package) and a raw socket that speaks
 * exactly what a test needs (a client that stops mid-DATA, AUTH before STARTTLS).
 */
import { execFile } from 'node:child_process';
import net from 'node:net';

export type SwaksResult = { code: number; out: string };

export type SwaksOptions = {
  port: number;
  from: string;
  to: string | string[];
  /** the client's local address (127.0.0.1, 127.0.0.2, …) */
  localAddress?: string;
  /** STARTTLS before AUTH (default true) */
  tls?: boolean;
  auth?: { type: 'PLAIN' | 'LOGIN'; user: string; password: string };
  /** "Header: value" lines, sent as raw bytes (UTF-8 allowed) */
  headers?: string[];
  body?: string;
  /** a complete message instead of swaks' own (headers and body) */
  data?: string;
};

/** Runs swaks against the relay on 127.0.0.1; never throws on a refusal (the exit code and transcript say it). */
export function swaks(o: SwaksOptions): Promise<SwaksResult> {
  const args = ['--server', '127.0.0.1', '--port', String(o.port), '--from', o.from, '--helo', 'client.test'];
  args.push('--to', Array.isArray(o.to) ? o.to.join(',') : o.to);
  if (o.localAddress) args.push('--local-interface', o.localAddress);
  if (o.tls !== false) args.push('--tls');
  // --name=value: a generated password may start with "-".
  if (o.auth) args.push(`--auth=${o.auth.type}`, `--auth-user=${o.auth.user}`, `--auth-password=${o.auth.password}`);
  for (const h of o.headers ?? []) args.push('--header', h);
  if (o.body !== undefined) args.push('--body', o.body);
  if (o.data !== undefined) args.push('--data', o.data);
  args.push('--timeout', '20');
  return new Promise((resolve) => {
    execFile('swaks', args, { timeout: 60_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, out: stdout + stderr });
    });
  });
}

/** A plain-text SMTP conversation: each `send` waits for the complete reply (multi-line included). */
export class RawSmtp {
  private buffer = '';
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buffer += d;
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on('error', () => undefined);
  }

  static async open(port: number, localAddress = '127.0.0.1'): Promise<{ client: RawSmtp; greeting: string }> {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress });
    const client = new RawSmtp(socket);
    return { client, greeting: await client.reply() };
  }

  /** The next complete reply ("250-…\r\n250 …\r\n"), or what arrived before the connection closed. */
  async reply(): Promise<string> {
    for (;;) {
      const m = /^(?:\d{3}-[^\n]*\n)*\d{3}(?: [^\n]*)?\n/.exec(this.buffer);
      if (m) {
        this.buffer = this.buffer.slice(m[0].length);
        return m[0];
      }
      if (this.closed) return this.buffer;
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  async send(line: string): Promise<string> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }

  /** Writes without waiting for a reply (message lines during DATA). */
  write(text: string): void {
    this.socket.write(text);
  }

  close(): void {
    this.socket.destroy();
  }
}
