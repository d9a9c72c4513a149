import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { NotificationsForm } from '@/components/notifications/notifications-form';
import { requireUser } from '@/lib/auth/session';
import { getNotificationSettings } from '@/lib/notifications/queries';
import { getConnection } from '@/lib/oauth/queries';
import { canChangeSettings } from '@/lib/auth/roles';

export const metadata: Metadata = { title: 'Notifications' };

export default async function NotificationsPage(props: {
  params: Promise<{ storeId: string }>;
  searchParams: Promise<{ oauth?: string }>;
}) {
  const user = await requireUser();
  const { storeId } = await props.params;
  const { oauth } = await props.searchParams;
  const [settings, connection] = await Promise.all([getNotificationSettings(storeId), getConnection(storeId)]);
  if (!settings || !connection) notFound();
  return (
    <NotificationsForm
      settings={settings}
      connection={connection}
      oauthOutcome={oauth === 'connected' || oauth === 'failed' ? oauth : undefined}
      canEdit={canChangeSettings(user)}
      userEmail={user.email}
    />
  );
}
