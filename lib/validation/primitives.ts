import { z } from 'zod';

/** CR/LF and other control characters: header injection in anything that reaches a mail header. */
const CONTROL = /[\u0000-\u001f\u007f]/;
export const CONTROL_MESSAGE = 'Line breaks and control characters are not allowed here.';

export const headerSafe = (max: number, label = 'This field') =>
  z
    .string()
    .max(max, `${label} is at most ${max} characters.`)
    .refine((v) => !CONTROL.test(v), CONTROL_MESSAGE)
    .transform((v) => v.trim());

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const LABELS = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

/** Host name (IDN converted to punycode), IPv4, or IPv6; null when it is none of these. */
export function toAsciiHost(input: string): string | null {
  const host = input.trim().replace(/^\[(.*)\]$/, '$1');
  if (!host || CONTROL.test(host)) return null;
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

export const hostSchema = z
  .string()
  .max(253, 'A host name is at most 253 characters.')
  .transform((v, ctx) => {
    const ascii = toAsciiHost(v);
    if (ascii === null) {
      ctx.addIssue({ code: 'custom', message: 'Enter a host name like smtp.example.com, or an IP address.' });
      return z.NEVER;
    }
    return ascii;
  });

const LOCAL_PART = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/;

/** Address with its domain in punycode, or null when it is not a valid address. */
export function toAsciiEmail(input: string): string | null {
  const s = input.trim();
  const at = s.lastIndexOf('@');
  if (at < 1 || at === s.length - 1 || s.length > 254) return null;
  const local = s.slice(0, at);
  if (!LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..') || local.length > 64) return null;
  const domain = toAsciiHost(s.slice(at + 1));
  if (!domain || !domain.includes('.') || IPV4.test(domain) || domain.includes(':')) return null;
  return `${local}@${domain.toLowerCase()}`;
}

export const emailAddress = (label = 'Email address') =>
  z
    .string()
    .max(254, `${label} is at most 254 characters.`)
    .transform((v, ctx) => {
      if (CONTROL.test(v)) {
        ctx.addIssue({ code: 'custom', message: CONTROL_MESSAGE });
        return z.NEVER;
      }
      const ascii = toAsciiEmail(v);
      if (!ascii) {
        ctx.addIssue({ code: 'custom', message: v.trim() ? `"${v.trim()}" is not a valid email address.` : `Enter ${label.toLowerCase()}.` });
        return z.NEVER;
      }
      return ascii;
    });

/** '' stays '' (an optional field left empty); anything else must pass `inner`, with its own message. */
export function orEmpty(inner: z.ZodType<string, string>) {
  return z.string().transform((v, ctx) => {
    if (v.trim() === '') return '';
    const r = inner.safeParse(v);
    if (r.success) return r.data;
    for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
    return z.NEVER;
  });
}

export const optionalEmailAddress = (label: string) => orEmpty(emailAddress(label));

/** Several addresses separated by `;` (commas tolerated); each bad one is named. */
export const emailList = (max = 50) =>
  z
    .string()
    .max(4000, 'At most 4000 characters.')
    .transform((v, ctx) => {
      if (CONTROL.test(v)) {
        ctx.addIssue({ code: 'custom', message: CONTROL_MESSAGE });
        return z.NEVER;
      }
      const parts = v.split(/[;,]/).map((p) => p.trim()).filter(Boolean);
      const bad = parts.filter((p) => !toAsciiEmail(p));
      if (bad.length) {
        const names = bad.slice(0, 3).map((b) => `"${b}"`).join(', ');
        ctx.addIssue({
          code: 'custom',
          message: bad.length === 1 ? `${names} is not a valid email address.` : `These are not valid email addresses: ${names}${bad.length > 3 ? '…' : ''}.`,
        });
        return z.NEVER;
      }
      if (parts.length > max) {
        ctx.addIssue({ code: 'custom', message: `At most ${max} addresses.` });
        return z.NEVER;
      }
      return parts.map((p) => toAsciiEmail(p) as string).join('; ');
    });

export const httpUrl = (label: string, { https = false } = {}) =>
  z
    .string()
    .trim()
    .max(2048, `${label} is at most 2048 characters.`)
    .refine((v) => !CONTROL.test(v), CONTROL_MESSAGE)
    .refine((v) => CONTROL.test(v) || !/\s/.test(v), `${label} cannot contain spaces.`)
    .refine((v) => {
      try {
        const u = new URL(v);
        return https ? u.protocol === 'https:' : u.protocol === 'https:' || u.protocol === 'http:';
      } catch {
        return false;
      }
    }, https ? `${label} must be an https:// URL.` : `${label} must be an http:// or https:// URL.`);

export const optionalHttpUrl = (label: string, opts?: { https?: boolean }) => orEmpty(httpUrl(label, opts));

/**
 * A write-only secret as the form sends it: keep what is stored, replace it, or clear it.
 * The stored value never travels to the browser, so there is nothing to "edit".
 */
export const secretChange = (label: string, max = 4096) =>
  z
    .object({ mode: z.enum(['keep', 'set', 'clear']), value: z.string().max(max, `${label} is at most ${max} characters.`) })
    .superRefine((v, ctx) => {
      if (v.mode === 'set' && !v.value) ctx.addIssue({ code: 'custom', path: ['value'], message: `Enter the ${label.toLowerCase()}, or cancel.` });
    });
export type SecretChange = z.output<ReturnType<typeof secretChange>>;
export const KEEP: SecretChange = { mode: 'keep', value: '' };
