import 'server-only';
import { db, selectOf } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { PROFILE_COLUMNS, toFormValues } from '@/lib/notifications/mapping';
import { OAUTH_CALLBACK_PATH } from '@/lib/notifications/providers';
import { PROFILE_SECRET_NAMES, PROFILE_SECRETS, type ProfileSecret, type SecretStatus } from '@/lib/notifications/secrets';

/**
 * What the Notifications page needs: form values and, for each secret, only whether it is
 * set and since when. Ciphertext columns are not even selected.
 */
export async function getNotificationSettings(storeId: string) {
  const row = await db.notificationProfile.findUnique({
    where: { storeId },
    select: {
      version: true,
      updatedAt: true,
      updatedBy: true,
      store: { select: { id: true, name: true, type: true } },
      ...selectOf(PROFILE_COLUMNS),
      ...selectOf(PROFILE_SECRET_NAMES.map((s) => PROFILE_SECRETS[s].setAt)),
    },
  });
  if (!row) return null;
  const secrets = Object.fromEntries(
    PROFILE_SECRET_NAMES.map((s) => {
      const at = row[PROFILE_SECRETS[s].setAt];
      return [s, { set: at != null, setAt: at ? at.toISOString() : null } satisfies SecretStatus];
    }),
  ) as Record<ProfileSecret, SecretStatus>;
  return {
    store: row.store,
    values: toFormValues(row),
    secrets,
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy,
    redirectUri: `${getEnv().APP_URL}${OAUTH_CALLBACK_PATH}`,
  };
}

export type NotificationSettings = NonNullable<Awaited<ReturnType<typeof getNotificationSettings>>>;
