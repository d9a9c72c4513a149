import { z } from '@/lib/validation/zod';
import { ipEntryProblem, splitList } from '@/lib/net/ip-syntax';
import { emailAddress } from '@/lib/validation/primitives';

import { FROM_POLICIES } from '@/lib/relay/from-policy';

export { FROM_POLICIES, FROM_POLICY_LABELS, type FromPolicy } from '@/lib/relay/from-policy';

/** The entries of a sources field: IPs and CIDR ranges separated by commas, spaces or new lines. */
export const sourceEntries = (v: string): string[] => [...new Set(splitList(v))];

/** A sources field as typed (the form keeps the text); each bad entry is named. */
const sources = z
  .string()
  .max(4000, 'At most 4000 characters.')
  .superRefine((v, ctx) => {
    const entries = sourceEntries(v);
    for (const e of entries) {
      const problem = ipEntryProblem(e);
      if (problem) ctx.addIssue({ code: 'custom', message: `${problem} Enter addresses like 192.0.2.10 or 10.1.0.0/16.` });
    }
    if (entries.length > 100) ctx.addIssue({ code: 'custom', message: 'At most 100 addresses or ranges.' });
  });

const fromPolicy = z.enum(FROM_POLICIES, 'Choose what happens to other senders.');

export const createRelayCredentialSchema = z.object({
  storeId: z.string().min(1),
  /** Empty: one is generated. */
  username: z
    .string()
    .trim()
    .max(64, 'A username is at most 64 characters.')
    .refine(
      (v) => v === '' || /^[A-Za-z0-9][A-Za-z0-9._@+-]*$/.test(v),
      'Use letters, digits and . _ @ + - (no spaces), starting with a letter or digit.',
    ),
  sources,
  fromPolicy,
});

export const revokeRelayCredentialSchema = z.object({ storeId: z.string().min(1), id: z.string().min(1) });

export const relayAccessSchema = z.object({ storeId: z.string().min(1), openSources: sources, fromPolicy });

export const relayTestSchema = z.object({ storeId: z.string().min(1), to: emailAddress('Recipient') });
