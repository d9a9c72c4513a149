import { z } from '@/lib/validation/zod';
import { BODY_CONTROL } from '@/lib/mail/control-chars';
import { MAX_RECIPIENTS } from '@/lib/mail/types';
import { emailList, headerSafe } from '@/lib/validation/primitives';

export const MAX_TEXT_BYTES = 256 * 1024;

/** A list of addresses as a JSON array or one `;`-separated string; each bad one is named. */
const addresses = z
  .union([z.string(), z.array(z.string())], 'A list of email addresses (an array, or one string separated by ";").')
  .transform((v, ctx) => {
    if (!Array.isArray(v)) return v;
    if (v.length > MAX_RECIPIENTS) {
      ctx.addIssue({ code: 'custom', message: `At most ${MAX_RECIPIENTS} addresses.` });
      return z.NEVER;
    }
    return v.join('; ');
  })
  .pipe(emailList(MAX_RECIPIENTS))
  .transform((v) => (v ? v.split('; ') : []));

/** Body of POST /api/v1/notifications. Unknown fields are errors, so a typo ("body") is not silently dropped. */
export const sendNotificationSchema = z
  .strictObject({
    to: addresses.optional(),
    cc: addresses.optional(),
    subject: headerSafe(998, 'The subject').pipe(z.string().min(1, 'Enter a subject.')),
    text: z
      .string('Give the message text as a string.')
      .refine((v) => Buffer.byteLength(v, 'utf8') <= MAX_TEXT_BYTES, `The text is at most ${MAX_TEXT_BYTES / 1024} KiB.`)
      .refine((v) => !BODY_CONTROL.test(v), 'The text may contain line breaks and tabs, but no other control characters.'),
    html: z
      .string('Give the HTML as a string.')
      .refine((v) => Buffer.byteLength(v, 'utf8') <= MAX_TEXT_BYTES, `The HTML is at most ${MAX_TEXT_BYTES / 1024} KiB.`)
      .refine((v) => !BODY_CONTROL.test(v), 'The HTML may contain line breaks and tabs, but no other control characters.')
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (v.cc?.length && !v.to?.length)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'Give at least one address in "to"; "cc" alone is not enough.' });
  });

export type SendNotificationValues = z.output<typeof sendNotificationSchema>;
