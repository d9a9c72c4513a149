import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { DeliveryLimitsForm } from '@/components/notifications/delivery-limits-form';
import { NotificationsForm } from '@/components/notifications/notifications-form';
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
  return (
    <div className="space-y-5">
      <NotificationsForm
        settings={settings}
        connection={connection}
        oauthOutcome={oauth === 'connected' || oauth === 'failed' ? oauth : undefined}
        canEdit={canEdit}
        userEmail={user.email}
      />
      <DeliveryLimitsForm storeId={storeId} limits={limits} canEdit={canEdit} />
    </div>
  );
}
