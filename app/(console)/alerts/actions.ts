'use server';

import { revalidatePath } from 'next/cache';
import { action } from '@/lib/action';
import { createChannel, deleteChannel, saveAlertSettings, sendTestAlert } from '@/lib/alerts/service';
import { CHANNEL_LABELS } from '@/lib/alerts/kinds';
import { recordAudit } from '@/lib/audit';
import { alertChannelIdSchema, alertChannelSchema, alertSettingsSchema } from '@/lib/validation/alerts';

const refresh = () => {
  revalidatePath('/alerts');
  revalidatePath('/alerts/history');
};

export const saveAlertSettingsAction = action<typeof alertSettingsSchema, { version: number }>(
  'admin',
  alertSettingsSchema,
  async (values, { user, ip }) => {
    const saved = await saveAlertSettings(values, user.email);
    const { version: _version, ...details } = values;
    await recordAudit({ actor: user, action: 'alert.settings', target: 'Alerts', details, ip });
    refresh();
    return { ok: true, message: 'Alert settings saved.', data: saved };
  },
);

export const addAlertChannel = action('admin', alertChannelSchema, async (values, { user, ip }) => {
  const created = await createChannel(values, user.email);
  await recordAudit({
    actor: user,
    action: 'alert.channel_create',
    target: created.name,
    // The webhook URL and signing secret are secrets: only the kind and the host are recorded.
    details: {
      kind: CHANNEL_LABELS[values.kind],
      ...(values.kind === 'email' ? { recipients: values.recipients } : { host: new URL(values.url).host }),
    },
    ip,
  });
  refresh();
  return { ok: true, message: `Added the channel “${created.name}”. Use Send test alert to check it.` };
});

export const removeAlertChannel = action('admin', alertChannelIdSchema, async ({ id }, { user, ip }) => {
  const removed = await deleteChannel(id);
  await recordAudit({ actor: user, action: 'alert.channel_delete', target: removed.name, ip });
  refresh();
  return { ok: true, message: `Removed “${removed.name}”.` };
});

export const testAlertChannel = action('admin', alertChannelIdSchema, async ({ id }, { user, ip }) => {
  const r = await sendTestAlert(id, user.email);
  await recordAudit({
    actor: user,
    action: 'alert.test',
    target: r.name,
    details: { result: r.ok ? 'sent' : 'failed', outcome: r.outcome },
    ip,
  });
  refresh();
  return r.ok ? { ok: true, message: r.outcome } : { ok: false, message: r.outcome };
});
