import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { NotificationsForm } from '@/components/notifications/notifications-form';
import { requireUser } from '@/lib/auth/session';
import { getNotificationSettings } from '@/lib/notifications/queries';

export const metadata: Metadata = { title: 'Notifications' };

export default async function NotificationsPage(props: { params: Promise<{ storeId: string }> }) {
  const user = await requireUser();
  const { storeId } = await props.params;
  const settings = await getNotificationSettings(storeId);
  if (!settings) notFound();
  return <NotificationsForm settings={settings} canEdit={user.role === 'admin'} userEmail={user.email} />;
}
