/**
 * The SMTP dialogue as shown to an admin: `C:`/`S:` lines, credentials replaced by `****`, the
 * message body elided, and a bounded size whatever a hostile server sends.
 */
import type { SmtpReply } from '@/lib/mail/types';

const HEAD = 100;
const TAIL = 99; // HEAD + marker + TAIL = 200 lines at most
const MAX_LINE = 500;

export class Transcript {
  private head: string[] = [];
  private tail: string[] = [];
  private omitted = 0;
  /** Inside a SASL exchange every client line is a credential until the server stops sending 334. */
  private inSasl = false;
  private lastServer: string | undefined;

  client(line: string): void {
    const auth = /^AUTH\s+(\S+)/i.exec(line);
    if (auth) {
      this.inSasl = true;
      this.push(`C: AUTH ${auth[1].toUpperCase()} ****`);
    } else {
      this.push(this.inSasl ? 'C: ****' : `C: ${line}`);
    }
  }

  /** One reply, possibly multi-line (`250-…\n250 …`). */
  server(reply: string): void {
    this.lastServer = reply;
    if (!reply.startsWith('334')) this.inSasl = false;
    for (const line of reply.split(/\r?\n/)) if (line) this.push(`S: ${line}`);
  }

  body(bytes: number): void {
    this.push(`C: [message body: ${bytes} bytes]`);
  }

  note(text: string): void {
    this.push(`* ${text}`);
  }

  lastReply(): string | undefined {
    return this.lastServer;
  }

  lines(): string[] {
    return this.omitted ? [...this.head, `[… ${this.omitted} lines omitted …]`, ...this.tail] : [...this.head, ...this.tail];
  }

  private push(raw: string): void {
    // Control characters from the server must not reach the UI or a log line as-is.
    const line = raw.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '?');
    const clipped = line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}… [${line.length} chars]` : line;
    if (this.head.length < HEAD) {
      this.head.push(clipped);
      return;
    }
    this.tail.push(clipped);
    if (this.tail.length > TAIL) {
      this.tail.shift();
      this.omitted++;
    }
  }
}

/** `550-5.1.1 first\r\n550 5.1.1 second` → { code: 550, enhanced: '5.1.1', text: 'first second' } */
export function parseReply(reply: string): SmtpReply {
  const lines = reply.split(/\r?\n/).filter(Boolean);
  const code = /^(\d{3})/.exec(lines[0] ?? '');
  const enhanced = /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(lines[0] ?? '');
  const text = lines
    .map((l) => l.replace(/^\d{3}[ -]?/, '').replace(/^[245]\.\d{1,3}\.\d{1,3}\s*/, ''))
    .join(' ')
    .trim();
  return { ...(code && { code: Number(code[1]) }), ...(enhanced && { enhanced: enhanced[1] }), text: text || reply.trim() };
}

/**
 * Everything derived from a credential that could end up in a reply, an error message or the
 * transcript: the value itself and the base64 forms SASL puts on the wire.
 */
export function secretVariants(user: string, secret: string): string[] {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  return [secret, b64(secret), b64(`\u0000${user}\u0000${secret}`), b64(`user=${user}\u0001auth=Bearer ${secret}\u0001\u0001`)];
}

/** Below this length a "secret" would blank out ordinary words; such secrets cannot be scrubbed safely. */
const MIN_SCRUB = 4;

/** Deep copy of `value` with every occurrence of a secret replaced by `****` (defence in depth). */
export function scrubSecrets<T>(value: T, secrets: string[]): T {
  const list = [...new Set(secrets.filter((s) => s.length >= MIN_SCRUB))].sort((a, b) => b.length - a.length);
  if (!list.length) return value;
  const scrub = (v: unknown): unknown => {
    if (typeof v === 'string') return list.reduce((s, secret) => s.split(secret).join('****'), v);
    if (Array.isArray(v)) return v.map(scrub);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrub(x)]));
    return v;
  };
  return scrub(value) as T;
}
