/**
 * Host names, email addresses and mailbox IDs as the engines send them: IDN domains in punycode,
 * anything else refused. Pure functions, shared by the send engines and the form schemas.
 */
import { HEADER_CONTROL } from '@/lib/mail/control-chars';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const LABELS = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
const LOCAL_PART = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Host name (IDN converted to punycode), IPv4, or IPv6; null when it is none of these. */
export function toAsciiHost(input: string): string | null {
  const host = input.trim().replace(/^\[(.*)\]$/, '$1');
  if (!host || HEADER_CONTROL.test(host)) return null;
  if (IPV4.test(host)) return host;
  if (host.includes(':')) {
    try {
      return new URL(`http://[${host}]/`).hostname.slice(1, -1);
    } catch {
      return null;
    }
  }
  if (/[\s/@?#:\\]/.test(host)) return null;
  try {
    // WHATWG URL parsing applies IDNA (UTS #46) in Node and in browsers alike.
    const ascii = new URL(`http://${host}/`).hostname;
    // "1.2.3" parses as the IPv4 address 1.2.0.3: a typo, not a host.
    return LABELS.test(ascii) && !IPV4.test(ascii) ? ascii : null;
  } catch {
    return null;
  }
}

/** Address with its domain in punycode, or null when it is not a valid address. */
export function toAsciiEmail(input: string): string | null {
  const s = input.trim();
  const at = s.lastIndexOf('@');
  if (at < 1 || at === s.length - 1 || s.length > 254) return null;
  const local = s.slice(0, at);
  if (!LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..') || local.length > 64)
    return null;
  const domain = toAsciiHost(s.slice(at + 1));
  if (!domain || !domain.includes('.') || IPV4.test(domain) || domain.includes(':')) return null;
  return `${local}@${domain.toLowerCase()}`;
}

/** A GUID such as an Entra object ID or application (client) ID. */
export const isGuid = (value: string) => GUID.test(value);
