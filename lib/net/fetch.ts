/**
 * Every outbound HTTP request an admin's settings can aim (OAuth discovery and token endpoints,
 * Microsoft Graph) goes through outboundFetch (docs/security.md#destination-policy): https only,
 * and each connection is made to a resolved address the destination policy allows — checked at
 * connect time, on the address connected to, so neither DNS nor a redirect can point it elsewhere.
 */
import dns from 'node:dns/promises';
import { isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { getEnv } from '@/lib/env';
import { checkDestination, httpPolicyFromEnv, type DestinationPolicy } from '@/lib/net/policy';

/** A connection the policy refused; fetch rejects with it as the `cause` of its "fetch failed". */
export class OutboundPolicyError extends Error {
  override name = 'OutboundPolicyError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const CONNECT_TIMEOUT_MS = 10_000;

/** URL host names keep IPv6 literals in brackets: `[::1]` → `::1`. */
const unbracket = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');

/** The address of `host` (`[::1]` or a name) on `port` that the policy allows; throws OutboundPolicyError. */
async function allowedAddress(protocol: string, host: string, port: number, policy: DestinationPolicy): Promise<string> {
  if (protocol !== 'https:')
    throw new OutboundPolicyError('EPOLICY_SCHEME', `Only https:// is allowed, not ${protocol}//${host}.`);
  const found = isIP(host) ? [host] : (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  const verdict = checkDestination(host, found, port, policy);
  if (!verdict.ok) throw new OutboundPolicyError(verdict.errorCode, verdict.detail);
  return verdict.ip;
}

function policyConnector(policy: DestinationPolicy): buildConnector.connector {
  const connect = buildConnector({ timeout: CONNECT_TIMEOUT_MS });
  return (opts, callback) => {
    const host = unbracket(opts.hostname);
    allowedAddress(opts.protocol, host, Number(opts.port) || 443, policy).then(
      // The checked address is the one connected to; the certificate is still checked against the name.
      (ip) => connect({ ...opts, hostname: ip, servername: isIP(host) ? undefined : host }, callback),
      (err: Error) => callback(err, null),
    );
  };
}

const agents = new Map<string, Agent>();

function agentFor(policy: DestinationPolicy): Agent {
  const key = JSON.stringify(policy);
  let agent = agents.get(key);
  if (!agent) {
    agent = new Agent({ connect: policyConnector(policy) });
    agents.set(key, agent);
  }
  return agent;
}

/** fetch through the destination policy: HTTPS on 443 and HTTP_ALLOWED_PORTS with the host lists, unless `policy` is given. */
export function outboundFetch(url: string | URL, init: RequestInit = {}, policy?: DestinationPolicy): Promise<Response> {
  const options: RequestInit & { dispatcher: Agent } = {
    ...init,
    dispatcher: agentFor(policy ?? httpPolicyFromEnv(getEnv())),
  };
  return fetch(url, options);
}

/**
 * For a URL Mailroom sends the browser to rather than fetching (the OAuth authorization endpoint):
 * the same check, on the addresses its name resolves to here. Throws OutboundPolicyError.
 */
export async function checkOutboundUrl(url: string, policy?: DestinationPolicy): Promise<void> {
  const u = new URL(url);
  await allowedAddress(u.protocol, unbracket(u.hostname), Number(u.port) || 443, policy ?? httpPolicyFromEnv(getEnv()));
}

/** The policy's refusal behind a failed fetch, if that is why it failed. */
export function policyRefusal(error: unknown): OutboundPolicyError | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (e instanceof OutboundPolicyError) return e;
  return undefined;
}
