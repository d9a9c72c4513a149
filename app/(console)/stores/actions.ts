'use server';

import { revalidatePath } from 'next/cache';
import { action } from '@/lib/action';
import { recordAudit } from '@/lib/audit';
import { createStore, deleteStore, renameStore } from '@/lib/stores/service';
import { createStoreSchema, deleteStoreSchema, renameStoreSchema } from '@/lib/validation/store';

export const addStore = action<typeof createStoreSchema, { id: string }>(
  'admin',
  createStoreSchema,
  async (input, { user, ip }) => {
    const store = await createStore(input, user.email);
    await recordAudit({ actor: user, action: 'store.create', target: store.name, details: { type: store.type }, ip });
    revalidatePath('/stores');
    return { ok: true, message: `Created ${store.name}.`, data: { id: store.id } };
  },
);

export const changeStoreName = action('admin', renameStoreSchema, async ({ id, name }, { user, ip }) => {
  const { from, to } = await renameStore(id, name);
  await recordAudit({ actor: user, action: 'store.rename', target: to, details: { from }, ip });
  revalidatePath('/stores', 'layout');
  return { ok: true, message: `Renamed to ${to}.` };
});

export const removeStore = action('admin', deleteStoreSchema, async ({ id, confirmName }, { user, ip }) => {
  const store = await deleteStore(id, confirmName);
  await recordAudit({ actor: user, action: 'store.delete', target: store.name, details: { secretsRemoved: true }, ip });
  revalidatePath('/stores');
  return { ok: true, message: `Deleted ${store.name} and its stored secrets.` };
});
