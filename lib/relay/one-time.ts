/**
 * One-time relay logins for "Send a test through the relay": the console's action and the listener
 * run in the same process, so the login never leaves it. Each works once, within a minute.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { RelaySender } from '@/lib/relay/credentials';

const TTL_MS = 60_000;
type Entry = { password: Buffer; sender: RelaySender; expires: number };

const g = globalThis as unknown as { mailroomRelayOneTime?: Map<string, Entry> };
const logins = (g.mailroomRelayOneTime ??= new Map());

/** Usernames that can only be one-time logins: a credential's username cannot start with "~". */
const PREFIX = '~relay-test-';

export function issueOneTimeLogin(sender: RelaySender): { username: string; password: string } {
  const now = Date.now();
  for (const [k, e] of logins) if (e.expires < now) logins.delete(k);
  const username = `${PREFIX}${randomBytes(6).toString('hex')}`;
  const password = randomBytes(24).toString('base64url');
  logins.set(username, { password: Buffer.from(password), sender, expires: now + TTL_MS });
  return { username, password };
}

export const isOneTimeUsername = (username: string) => username.startsWith(PREFIX);

/** The sender behind a one-time login, once; null when unknown, used or expired. */
export function redeemOneTimeLogin(username: string, password: string): RelaySender | null {
  const e = logins.get(username);
  if (!e) return null;
  logins.delete(username);
  const given = Buffer.from(password);
  if (e.expires < Date.now() || given.length !== e.password.length || !timingSafeEqual(given, e.password)) return null;
  return e.sender;
}
