/**
 * Destination policy for the send engines (docs/security.md#destination-policy): which ports and hosts an admin may
 * make this server connect to. The IP checked is the IP connected to, so DNS cannot swap it.
 */
import { BlockList, isIP } from 'node:net';
import type { DestinationPolicy } from '@/lib/mail/types';

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
    const slash = entry.indexOf('/');
    if (slash >= 0) {
      const net = entry.slice(0, slash);
      const bits = Number(entry.slice(slash + 1));
      const family = isIP(net);
      const max = family === 6 ? 128 : 32;
      if (!family || !/^\d{1,3}$/.test(entry.slice(slash + 1)) || bits > max) {
        throw new PolicyConfigError(`${label}: "${entry}" is not a valid CIDR range.`);
      }
      list.ips.addSubnet(net, bits, family === 6 ? 'ipv6' : 'ipv4');
    } else if (isIP(entry)) {
      list.ips.addAddress(entry, isIP(entry) === 6 ? 'ipv6' : 'ipv4');
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
  // BlockList also matches IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) against IPv4 rules.
  return list.ips.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
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
      detail: `Port ${port} is not allowed for Test Server (allowed: ${policy.allowedPorts.join(', ') || 'none'}; set by SMTP_ALLOWED_PORTS). No connection was made.`,
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

/** The policy from validated configuration (lib/env.ts): comma or whitespace separated lists. */
export function policyFromEnv(env: {
  SMTP_ALLOWED_PORTS: number[];
  SMTP_ALLOWED_HOSTS: string;
  SMTP_DENIED_HOSTS: string;
}): DestinationPolicy {
  const split = (v: string) => v.split(/[\s,;]+/).filter(Boolean);
  return {
    allowedPorts: env.SMTP_ALLOWED_PORTS,
    allowHosts: split(env.SMTP_ALLOWED_HOSTS),
    denyHosts: split(env.SMTP_DENIED_HOSTS),
  };
}
