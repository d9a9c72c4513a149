/**
 * How IP addresses and CIDR lists are written, without Node's `net` module, so forms can check
 * them in the browser with the same rules the server applies (lib/net/ip.ts re-exports these).
 */

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** 4 or 6 for an IPv4 or IPv6 address, 0 for anything else. */
export function ipFamily(v: string): 0 | 4 | 6 {
  if (IPV4.test(v)) return 4;
  if (!v.includes(':') || /[^0-9a-f:.]/i.test(v)) return 0;
  try {
    return new URL(`http://[${v}]/`).hostname ? 6 : 0;
  } catch {
    return 0;
  }
}

/** Why `entry` is not an IP address or CIDR range, or undefined when it is one. */
export function ipEntryProblem(entry: string): string | undefined {
  const slash = entry.indexOf('/');
  const address = slash >= 0 ? entry.slice(0, slash) : entry;
  const family = ipFamily(address);
  if (!family) return `"${entry}" is not an IP address or CIDR range.`;
  if (slash < 0) return undefined;
  const bits = entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > (family === 6 ? 128 : 32)) return `"${entry}" is not a valid CIDR range.`;
  return undefined;
}

/** `a, b c;d` → `['a', 'b', 'c', 'd']`: how every host or address list in the configuration is written. */
export const splitList = (v: string): string[] => v.split(/[\s,;]+/).filter(Boolean);
