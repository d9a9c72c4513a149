import type { Metadata } from 'next';
import { QueueView } from '@/components/queue/queue-view';
import { canChangeSettings } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { queueFilterOf } from '@/lib/outbox/queries';

export const metadata: Metadata = { title: 'Queue' };

export default async function StoreQueuePage(props: {
  params: Promise<{ storeId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const { storeId } = await props.params;
  const filter = queueFilterOf(await props.searchParams);
  return <QueueView storeId={storeId} filter={filter} basePath={`/stores/${storeId}/queue`} canEdit={canChangeSettings(user)} />;
}
