'use server';

import { revalidatePath } from 'next/cache';
import { action } from '@/lib/action';
import { createApiKey, revokeApiKey } from '@/lib/api-keys/service';
import { recordAudit } from '@/lib/audit';
import { createApiKeySchema, revokeApiKeySchema } from '@/lib/validation/store';

/** The key is in this one response and nowhere else: the page shows it once. */
export const addApiKey = action<typeof createApiKeySchema, { key: string }>(
  'admin',
  createApiKeySchema,
  async ({ storeId, name }, { user, ip }) => {
    const created = await createApiKey(storeId, name, user.email);
    await recordAudit({
      actor: user,
      action: 'apikey.create',
      target: created.storeName,
      details: { name, prefix: created.prefix },
      ip,
    });
    revalidatePath(`/stores/${storeId}/api`);
    return { ok: true, message: `Created the key “${name}”.`, data: { key: created.key } };
  },
);

export const removeApiKey = action('admin', revokeApiKeySchema, async ({ storeId, id }, { user, ip }) => {
  const revoked = await revokeApiKey(storeId, id);
  await recordAudit({
    actor: user,
    action: 'apikey.revoke',
    target: revoked.storeName,
    details: { name: revoked.name, prefix: revoked.prefix },
    ip,
  });
  revalidatePath(`/stores/${storeId}/api`);
  return { ok: true, message: `Revoked “${revoked.name}”: requests with it are refused from now on.` };
});
