/**
 * The client's address for rate limits and the audit log, decided in this one place
 * (docs/security.md#client-address): the socket's address, which the server stamps into
 * CLIENT_ADDRESS_HEADER (lib/http/socket-address.ts); X-Forwarded-For only when that socket is a
 * proxy named in TRUSTED_PROXIES, and then its right-most hop that is not a trusted proxy.
 */
import type { BlockList } from 'node:net';
import { getEnv } from '@/lib/env';
import { ipList, listHas, normaliseIp } from '@/lib/net/ip';

/** Set by the server from the socket after deleting whatever the client sent under this name. */
export const CLIENT_ADDRESS_HEADER = 'x-mailroom-client-address';

type HeaderSource = Headers | Request | Record<string, string | string[] | undefined> | undefined;

function header(source: HeaderSource, name: string): string[] {
  const raw =
    source instanceof Request ? source.headers.get(name) : source instanceof Headers ? source.get(name) : source?.[name];
  if (raw == null) return [];
  return Array.isArray(raw) ? raw : [raw];
}

let compiled: { from: readonly string[]; list: BlockList } | undefined;

function trustedProxies(): BlockList | undefined {
  const entries = getEnv().TRUSTED_PROXIES;
  if (!entries.length) return undefined;
  if (compiled?.from !== entries) compiled = { from: entries, list: ipList(entries) };
  return compiled.list;
}

/** 'unknown' when no server stamped the socket address (a request that bypassed the console's own server). */
export function clientAddress(source: HeaderSource): string {
  const socket = normaliseIp(header(source, CLIENT_ADDRESS_HEADER)[0]);
  if (!socket) return 'unknown';
  const trusted = trustedProxies();
  if (!trusted || !listHas(trusted, socket)) return socket;
  // Each proxy appends the address it was connected from: walk back over the trusted ones.
  const hops = header(source, 'x-forwarded-for').flatMap((v) => v.split(','));
  let nearest = socket;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normaliseIp(hops[i]);
    // A hop that is not an address was not written by a proxy we trust: stop at the last one that was.
    if (!hop) return nearest;
    if (!listHas(trusted, hop)) return hop;
    nearest = hop;
  }
  return nearest;
}
