import { z } from '@/lib/validation/zod';
import { toAsciiEmail, toAsciiHost } from '@/lib/mail/address';
import { HEADER_CONTROL as CONTROL } from '@/lib/mail/control-chars';

const CONTROL_MESSAGE = 'Line breaks and control characters are not allowed here.';

export const headerSafe = (max: number, label = 'This field') =>
  z
    .string()
    .max(max, `${label} is at most ${max} characters.`)
    .refine((v) => !CONTROL.test(v), CONTROL_MESSAGE)
    .transform((v) => v.trim());

/** A whole number in [min, max], its message naming the field. */
export const whole = (label: string, min: number, max: number) =>
  z
    .number({ error: `${label}: enter a whole number.` })
    .int(`${label}: enter a whole number.`)
    .min(min, `${label} must be between ${min} and ${max}.`)
    .max(max, `${label} must be between ${min} and ${max}.`);

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
        ctx.addIssue({
          code: 'custom',
          message: v.trim() ? `"${v.trim()}" is not a valid email address.` : `Enter ${label.toLowerCase()}.`,
        });
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
      const parts = v
        .split(/[;,]/)
        .map((p) => p.trim())
        .filter(Boolean);
      const bad = parts.filter((p) => !toAsciiEmail(p));
      if (bad.length) {
        const names = bad
          .slice(0, 3)
          .map((b) => `"${b}"`)
          .join(', ');
        ctx.addIssue({
          code: 'custom',
          message:
            bad.length === 1
              ? `${names} is not a valid email address.`
              : `These are not valid email addresses: ${names}${bad.length > 3 ? '…' : ''}.`,
        });
        return z.NEVER;
      }
      if (parts.length > max) {
        ctx.addIssue({ code: 'custom', message: `At most ${max} addresses.` });
        return z.NEVER;
      }
      return parts.map((p) => toAsciiEmail(p) as string).join('; ');
    });

const httpUrl = (label: string, { https = false } = {}) =>
  z
    .string()
    .trim()
    .max(2048, `${label} is at most 2048 characters.`)
    .refine((v) => !CONTROL.test(v), CONTROL_MESSAGE)
    .refine((v) => CONTROL.test(v) || !/\s/.test(v), `${label} cannot contain spaces.`)
    .refine(
      (v) => {
        try {
          const u = new URL(v);
          return https ? u.protocol === 'https:' : u.protocol === 'https:' || u.protocol === 'http:';
        } catch {
          return false;
        }
      },
      https ? `${label} must be an https:// URL.` : `${label} must be an http:// or https:// URL.`,
    );

export const optionalHttpUrl = (label: string, opts?: { https?: boolean }) => orEmpty(httpUrl(label, opts));

/**
 * A write-only secret as the form sends it: keep what is stored, replace it, or clear it.
 * The stored value never travels to the browser, so there is nothing to "edit".
 */
export const secretChange = (label: string, max = 4096) =>
  z
    .object({ mode: z.enum(['keep', 'set', 'clear']), value: z.string().max(max, `${label} is at most ${max} characters.`) })
    .superRefine((v, ctx) => {
      if (v.mode === 'set' && !v.value)
        ctx.addIssue({ code: 'custom', path: ['value'], message: `Enter the ${label.toLowerCase()}, or cancel.` });
    });
export type SecretChange = z.output<ReturnType<typeof secretChange>>;
export const KEEP: SecretChange = { mode: 'keep', value: '' };
