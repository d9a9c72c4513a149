import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { NotificationsForms } from '@/components/notifications/notifications-island';
import { requireUser } from '@/lib/auth/session';
import { getNotificationSettings } from '@/lib/notifications/queries';
import { getConnection } from '@/lib/oauth/queries';
import { getDeliveryLimits } from '@/lib/outbox/queries';
import { canChangeSettings } from '@/lib/auth/roles';

export const metadata: Metadata = { title: 'Notifications' };

export default async function NotificationsPage(props: {
  params: Promise<{ storeId: string }>;
  searchParams: Promise<{ oauth?: string }>;
}) {
  const user = await requireUser();
  const { storeId } = await props.params;
  const { oauth } = await props.searchParams;
  const [settings, connection, limits] = await Promise.all([
    getNotificationSettings(storeId),
    getConnection(storeId),
    getDeliveryLimits(storeId),
  ]);
  if (!settings || !connection || !limits) notFound();
  const canEdit = canChangeSettings(user);
  const oauthOutcome = oauth === 'connected' || oauth === 'failed' ? oauth : undefined;
  return (
    <NotificationsForms
      // Back from the OAuth consent, the page scrolls to the connection card and reports the outcome.
      now={!!oauthOutcome}
      form={{ settings, connection, oauthOutcome, canEdit, userEmail: user.email }}
      limits={{ storeId, limits, canEdit }}
    />
  );
}
