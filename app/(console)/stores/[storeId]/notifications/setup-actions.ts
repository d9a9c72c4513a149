'use server';

import { z } from 'zod';
import { action } from '@/lib/action';
import type { SetupFacts } from '@/lib/setup-guide/checklist';
import { checkSetup } from '@/lib/setup-guide/verify';

const storeInput = z.object({ storeId: z.string().min(1) });

/** The guided setup's checklist: what Mailroom can tell about the saved OAuth setup. Changes no settings. */
export const checkSetupAction = action<typeof storeInput, SetupFacts>('admin', storeInput, async ({ storeId }) => ({
  ok: true,
  data: await checkSetup(storeId),
}));
