'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { action } from '@/lib/action';
import { saveDeliveryLimits } from '@/lib/outbox/service';
import { deliveryLimitsSchema } from '@/lib/validation/outbox';

const input = z.object({ storeId: z.string().min(1), values: deliveryLimitsSchema });

export const saveLimits = action('admin', input, async ({ storeId, values }, ctx) => {
  const changed = await saveDeliveryLimits(storeId, values, ctx);
  revalidatePath(`/stores/${storeId}/notifications`);
  revalidatePath('/');
  return {
    ok: true,
    message: changed.length ? 'Delivery limits saved; the outbox uses them from its next message.' : 'Saved (no changes).',
  };
});
