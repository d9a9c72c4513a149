/**
 * The destination policy for every outbound connection an admin's settings can point somewhere
 * (docs/security.md#destination-policy): SMTP by the send engines, HTTPS for OAuth and Microsoft
 * Graph (lib/net/fetch.ts). Which ports, which hosts; the IP checked is the IP connected to, so DNS
 * cannot swap it.
 */
import { BlockList, isIP } from 'node:net';
import { addIpEntry, ipEntryProblem, listHas, splitList } from '@/lib/net/ip';

/** Hosts: names (exact, or `*.example.com` / `.example.com` for subdomains), IPs or CIDRs (v4/v6). */
export type DestinationPolicy = {
  allowedPorts: number[];
  allowHosts: string[];
  denyHosts: string[];
  /** The setting that lists the ports, named when a port is refused; SMTP_ALLOWED_PORTS when absent. */
  portsSetting?: string;
};

type PolicyVerdict =
  | { ok: true; ip: string }
  | { ok: false; errorCode: 'EPOLICY_PORT' | 'EPOLICY_DENIED' | 'EPOLICY_NOT_ALLOWED' | 'EPOLICY_CONFIG'; detail: string };

type HostList = { names: string[]; suffixes: string[]; ips: BlockList; empty: boolean };

class PolicyConfigError extends Error {
  override name = 'PolicyConfigError';
}

const normaliseName = (name: string) => name.trim().toLowerCase().replace(/\.$/, '');

/** Compiles `names, IPs and CIDRs` into something cheap to test; a malformed IP/CIDR throws (fail closed). */
function compileHostList(entries: string[], label: string): HostList {
  const list: HostList = { names: [], suffixes: [], ips: new BlockList(), empty: true };
  for (const raw of entries) {
    const entry = raw.trim();
    if (!entry) continue;
    list.empty = false;
    if (entry.includes('/') || isIP(entry)) {
      const problem = ipEntryProblem(entry);
      if (problem) throw new PolicyConfigError(`${label}: ${problem}`);
      addIpEntry(list.ips, entry);
    } else if (entry.startsWith('*.') || entry.startsWith('.')) {
      list.suffixes.push(normaliseName(entry.replace(/^\*/, '')));
    } else {
      list.names.push(normaliseName(entry));
    }
  }
  return list;
}

function matches(list: HostList, host: string, ip: string): boolean {
  const name = normaliseName(host);
  if (list.names.includes(name) || list.suffixes.some((s) => name.endsWith(s))) return true;
  return listHas(list.ips, ip);
}

function isPortAllowed(port: number, policy: DestinationPolicy): boolean {
  return Number.isInteger(port) && policy.allowedPorts.includes(port);
}

/**
 * Picks the first resolved address the policy allows. The deny list wins over the allow list;
 * a non-empty allow list must match the host name or the address.
 */
export function checkDestination(host: string, addresses: string[], port: number, policy: DestinationPolicy): PolicyVerdict {
  if (!isPortAllowed(port, policy)) {
    return {
      ok: false,
      errorCode: 'EPOLICY_PORT',
      detail: `Port ${port} is not allowed (allowed: ${policy.allowedPorts.join(', ') || 'none'}; set by ${policy.portsSetting ?? 'SMTP_ALLOWED_PORTS'}). No connection was made.`,
    };
  }
  let allow: HostList;
  let deny: HostList;
  try {
    allow = compileHostList(policy.allowHosts, 'SMTP_ALLOWED_HOSTS');
    deny = compileHostList(policy.denyHosts, 'SMTP_DENIED_HOSTS');
  } catch (e) {
    return { ok: false, errorCode: 'EPOLICY_CONFIG', detail: `${(e as Error).message} No connection was made.` };
  }
  let firstRefusal: PolicyVerdict | undefined;
  for (const ip of addresses) {
    if (matches(deny, host, ip)) {
      firstRefusal ??= {
        ok: false,
        errorCode: 'EPOLICY_DENIED',
        detail: `${describe(host, ip)} is on the deny list (SMTP_DENIED_HOSTS). No connection was made.`,
      };
      continue;
    }
    if (!allow.empty && !matches(allow, host, ip)) {
      firstRefusal ??= {
        ok: false,
        errorCode: 'EPOLICY_NOT_ALLOWED',
        detail: `${describe(host, ip)} is not on the allow list (SMTP_ALLOWED_HOSTS). No connection was made.`,
      };
      continue;
    }
    return { ok: true, ip };
  }
  return firstRefusal ?? { ok: false, errorCode: 'EPOLICY_NOT_ALLOWED', detail: `${host} has no address to connect to.` };
}

const describe = (host: string, ip: string) => (host === ip ? ip : `${host} (${ip})`);

type PolicyEnv = {
  SMTP_ALLOWED_PORTS: number[];
  HTTP_ALLOWED_PORTS: number[];
  SMTP_ALLOWED_HOSTS: string;
  SMTP_DENIED_HOSTS: string;
};

/** Where the SMTP engines may connect, from validated configuration (lib/env.ts). */
export function policyFromEnv(env: Omit<PolicyEnv, 'HTTP_ALLOWED_PORTS'>): DestinationPolicy {
  return {
    allowedPorts: env.SMTP_ALLOWED_PORTS,
    allowHosts: splitList(env.SMTP_ALLOWED_HOSTS),
    denyHosts: splitList(env.SMTP_DENIED_HOSTS),
  };
}

/** Where OAuth and Graph requests may connect: HTTPS on 443 and HTTP_ALLOWED_PORTS, the same host lists. */
export function httpPolicyFromEnv(env: PolicyEnv): DestinationPolicy {
  return {
    ...policyFromEnv(env),
    allowedPorts: [...new Set([443, ...env.HTTP_ALLOWED_PORTS])],
    portsSetting: 'HTTP_ALLOWED_PORTS',
  };
}
