import 'server-only';
import { db } from '@/lib/db';

/** The saved settings the checklist compares with the chosen setup; whether a secret is set, never the secret. */
export function getSetupProfile(storeId: string) {
  return db.notificationProfile.findUnique({
    where: { storeId },
    select: {
      id: true,
      transport: true,
      useAuth: true,
      authType: true,
      oauthProvider: true,
      grantType: true,
      clientSecretSetAt: true,
      clientSecretExpiresAt: true,
      oauthConnectedAt: true,
    },
  });
}

/** The last send through the store's settings since `since` (the current connection): what Test Server last saw. */
export function getLatestDelivery(storeId: string, since: Date) {
  return db.deliveryLog.findFirst({
    where: { storeId, createdAt: { gte: since } },
    orderBy: { createdAt: 'desc' },
    select: { createdAt: true, ok: true, failedStep: true, replyCode: true, replyText: true },
  });
}
