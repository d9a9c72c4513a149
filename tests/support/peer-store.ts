/** An identity store whose saved settings send through a local SMTP peer (STARTTLS, self-signed, AUTH as `from`). */
import { saveNotificationSettings } from '@/lib/notifications/service';
import { createStore } from '@/lib/stores/service';
import { notificationsSchema } from '@/lib/validation/notifications';
import { notificationsInput } from '@/tests/support/notification-values';

export async function peerStore(
  name: string,
  peer: { port: number; from: string; password: string },
  type: 'active_directory' | 'other' = 'active_directory',
): Promise<string> {
  const store = await createStore({ name, type }, 'ann@example.com');
  const values = notificationsInput({
    smtp: { host: '127.0.0.1', port: peer.port, securityMode: 'starttls', allowSelfSigned: true, fromAddress: peer.from },
    auth: { smtpUsername: peer.from, smtpPassword: { mode: 'set', value: peer.password } },
  });
  await saveNotificationSettings(store.id, notificationsSchema.parse(values), 'ann@example.com');
  return store.id;
}
