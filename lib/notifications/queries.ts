import 'server-only';
import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { PROFILE_COLUMNS, toFormValues, type ProfileColumns } from '@/lib/notifications/mapping';
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
      ...Object.fromEntries(PROFILE_COLUMNS.map((c) => [c, true])),
      ...Object.fromEntries(PROFILE_SECRET_NAMES.map((s) => [PROFILE_SECRETS[s].setAt, true])),
    },
  });
  if (!row) return null;
  const r = row as unknown as ProfileColumns & { version: number; updatedAt: Date; updatedBy: string } & Record<string, unknown>;
  const secrets = Object.fromEntries(
    PROFILE_SECRET_NAMES.map((s) => {
      const at = r[PROFILE_SECRETS[s].setAt] as Date | null;
      return [s, { set: at != null, setAt: at ? at.toISOString() : null } satisfies SecretStatus];
    }),
  ) as Record<ProfileSecret, SecretStatus>;
  return {
    store: row.store,
    values: toFormValues(r),
    secrets,
    updatedAt: r.updatedAt.toISOString(),
    updatedBy: r.updatedBy,
    redirectUri: `${getEnv().APP_URL}${OAUTH_CALLBACK_PATH}`,
  };
}

export type NotificationSettings = NonNullable<Awaited<ReturnType<typeof getNotificationSettings>>>;
