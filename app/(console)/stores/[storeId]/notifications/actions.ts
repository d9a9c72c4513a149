'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { action } from '@/lib/action';
import { recordAudit } from '@/lib/audit';
import { getNotificationSettings, type NotificationSettings } from '@/lib/notifications/queries';
import { saveNotificationSettings } from '@/lib/notifications/service';
import { notificationsSchema } from '@/lib/validation/notifications';

const input = z.object({ storeId: z.string().min(1), values: notificationsSchema });

export const saveNotifications = action<typeof input, { settings: NotificationSettings; notices: string[] }>(
  'admin',
  input,
  async ({ storeId, values }, { user, ip }) => {
    const outcome = await saveNotificationSettings(storeId, values, user.email);
    const settings = await getNotificationSettings(storeId);
    if (!settings) return { ok: false, message: 'This identity store no longer exists.' };
    await recordAudit({
      actor: user,
      action: 'notifications.save',
      target: settings.store.name,
      details: {
        changed: outcome.changed,
        secrets: Object.entries(outcome.secrets).map(([name, what]) => `${name} ${what}`),
        version: outcome.version,
      },
      ip,
    });
    revalidatePath(`/stores/${storeId}/notifications`);
    const nothing = outcome.changed.length === 0 && Object.keys(outcome.secrets).length === 0;
    return {
      ok: true,
      message: nothing ? 'Saved (no changes).' : 'Notification settings saved.',
      data: { settings, notices: outcome.notices },
    };
  },
);
