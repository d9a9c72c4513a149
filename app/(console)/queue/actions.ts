'use server';

import { revalidatePath } from 'next/cache';
import { action } from '@/lib/action';
import { cancelMessage, deleteMessage, readMessageBody, retryAllFailed, retryNow, type MessageBody } from '@/lib/outbox/service';
import { queueMessageSchema, retryAllFailedSchema } from '@/lib/validation/outbox';

/** Both Queue pages (all stores, and the store's own) and the Overview show the change. */
function refresh(storeId?: string) {
  revalidatePath('/queue', 'layout');
  if (storeId) revalidatePath(`/stores/${storeId}/queue`, 'layout');
  revalidatePath('/');
}

export const retryMessage = action('admin', queueMessageSchema, async ({ id, storeId }, ctx) => {
  const message = await retryNow(id, ctx, storeId);
  refresh(storeId);
  return { ok: true, message };
});

export const cancelQueuedMessage = action('admin', queueMessageSchema, async ({ id, storeId }, ctx) => {
  const message = await cancelMessage(id, ctx, storeId);
  refresh(storeId);
  return { ok: true, message };
});

export const deleteQueuedMessage = action('admin', queueMessageSchema, async ({ id, storeId }, ctx) => {
  const message = await deleteMessage(id, ctx, storeId);
  refresh(storeId);
  return { ok: true, message };
});

export const retryFailedMessages = action('admin', retryAllFailedSchema, async ({ storeId }, ctx) => {
  const message = await retryAllFailed(ctx, storeId);
  refresh(storeId);
  return { ok: true, message };
});

/** The body, for admins only; reading it is in the activity log. */
export const showMessageBody = action<typeof queueMessageSchema, MessageBody>(
  'admin',
  queueMessageSchema,
  async ({ id, storeId }, ctx) => ({ ok: true, data: await readMessageBody(id, ctx, storeId) }),
);
