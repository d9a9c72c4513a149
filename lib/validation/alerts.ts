import { z } from '@/lib/validation/zod';
import { CHANNEL_KINDS } from '@/lib/alerts/kinds';
import { emailList, headerSafe, optionalHttpUrl, whole } from '@/lib/validation/primitives';

export const alertSettingsSchema = z
  .object({
    version: z.number().int().min(0),
    enabled: z.boolean(),
    repeatMinutes: whole('Repeat interval', 5, 10_080),
    keepAliveDays: whole('Keep-alive', 0, 80),
    tokenIdleDays: whole('Unused refresh token', 1, 89),
    failedInRow: whole('Failed in a row', 1, 50),
    failureRatePercent: whole('Failure rate', 1, 100),
    failureWindowMinutes: whole('Failure window', 5, 1440),
    backlogCount: whole('Queue backlog', 1, 100_000),
    oldestQueuedMinutes: whole('Oldest queued message', 1, 10_080),
  })
  .superRefine((v, ctx) => {
    if (v.keepAliveDays > 0 && v.tokenIdleDays <= v.keepAliveDays)
      ctx.addIssue({
        code: 'custom',
        path: ['tokenIdleDays'],
        message: `Alert after more days than keep-alive waits (${v.keepAliveDays}): keep-alive refreshes the token first.`,
      });
  });
export type AlertSettingsInput = z.input<typeof alertSettingsSchema>;

export const alertChannelSchema = z
  .object({
    kind: z.enum(CHANNEL_KINDS, 'Choose a kind of channel.'),
    name: headerSafe(80, 'Name').pipe(z.string().min(1, 'Name the channel, e.g. "Helpdesk admins".')),
    recipients: emailList(20),
    storeId: z.string(),
    fallbackStoreId: z.string(),
    url: optionalHttpUrl('Webhook URL', { https: true }),
    signingSecret: z.string().max(200, 'The signing secret is at most 200 characters.'),
  })
  .superRefine((v, ctx) => {
    const add = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (v.kind === 'email') {
      if (!v.recipients) add('recipients', 'Enter at least one address, separated by “;”.');
      if (!v.storeId) add('storeId', 'Choose the identity store alert emails are sent through.');
      if (v.fallbackStoreId && v.fallbackStoreId === v.storeId)
        add('fallbackStoreId', 'Choose another store than the first, or none.');
      return;
    }
    if (!v.url) add('url', 'Paste the webhook URL (https://…).');
    if (v.kind === 'webhook' && v.signingSecret.trim().length < 16)
      add('signingSecret', 'Enter a signing secret of at least 16 characters; the receiver checks the signature with it.');
  });
export type AlertChannelInput = z.input<typeof alertChannelSchema>;
export type AlertChannelValues = z.output<typeof alertChannelSchema>;

export const alertChannelIdSchema = z.object({ id: z.string().min(1) });
