import 'server-only';
import { getAlertSettings } from '@/lib/alerts/settings';
import { db } from '@/lib/db';

/** The Alerts page: settings, channels (never a URL or secret, only the webhook's host), open alerts. */
export async function getAlertsPage() {
  const [settings, channels, stores, open, recent] = await Promise.all([
    getAlertSettings(),
    db.alertChannel.findMany({
      orderBy: { createdAt: 'asc' },
      select: {
        id: true,
        name: true,
        kind: true,
        enabled: true,
        recipients: true,
        storeId: true,
        fallbackStoreId: true,
        urlHost: true,
        createdAt: true,
      },
    }),
    db.identityStore.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true } }),
    db.alert.findMany({
      where: { resolvedAt: null },
      orderBy: { startedAt: 'desc' },
      select: { id: true, severity: true, title: true, detail: true, storeName: true, startedAt: true, lastNotifiedAt: true },
    }),
    getAlertHistory(10),
  ]);
  const storeName = new Map(stores.map((s) => [s.id, s.name]));
  return {
    settings,
    stores,
    open,
    recent,
    channels: channels.map(({ storeId, fallbackStoreId, ...c }) => ({
      ...c,
      store: storeId ? (storeName.get(storeId) ?? 'a deleted store') : '',
      fallbackStore: fallbackStoreId ? (storeName.get(fallbackStoreId) ?? 'a deleted store') : '',
    })),
  };
}

export type AlertHistoryRow = Awaited<ReturnType<typeof getAlertHistory>>[number];

/** Every notice sent, newest first. */
export function getAlertHistory(take = 200) {
  return db.alertNotice.findMany({
    orderBy: { createdAt: 'desc' },
    take,
    select: {
      id: true,
      event: true,
      title: true,
      storeName: true,
      channelName: true,
      ok: true,
      outcome: true,
      createdAt: true,
      actorEmail: true,
    },
  });
}
