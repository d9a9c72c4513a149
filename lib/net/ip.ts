/** IP addresses and CIDR lists as configuration and sockets spell them. */
import { BlockList, isIP } from 'node:net';
import { ipEntryProblem } from '@/lib/net/ip-syntax';

export { ipEntryProblem, splitList } from '@/lib/net/ip-syntax';

/**
 * `::ffff:192.0.2.1` → `192.0.2.1`, `[2001:db8::1]:443` → `2001:db8::1`, `192.0.2.1:5678` → `192.0.2.1`;
 * undefined when what is left is not an IP address.
 */
export function normaliseIp(raw: string | undefined): string | undefined {
  let v = raw?.trim() ?? '';
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed) v = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(':'));
  v = v.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
  return isIP(v) ? v : undefined;
}

/** Adds an IP or CIDR entry (already checked by ipEntryProblem) to `list`. */
export function addIpEntry(list: BlockList, entry: string): void {
  const [address, bits] = entry.split('/');
  const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (bits === undefined) list.addAddress(address, type);
  else list.addSubnet(address, Number(bits), type);
}

/** A list of IPs and CIDRs to test addresses against; throws on an entry that is neither. */
export function ipList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const problem = ipEntryProblem(entry);
    if (problem) throw new Error(problem);
    addIpEntry(list, entry);
  }
  return list;
}

/** BlockList also matches IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) against IPv4 rules. */
export const listHas = (list: BlockList, ip: string): boolean => list.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
